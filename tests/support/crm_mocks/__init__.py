"""Local servers that speak Salesforce's and HubSpot's REST protocols, for the sync tests (driven through the
real ``simple-salesforce`` and ``hubspot-api-client``)."""
