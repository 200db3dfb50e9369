"""Two-way sync with CRMs (Salesforce, HubSpot): pull into the store through the importer, push back
confirmed notes and open commitments. See docs/crm.md."""

CRMS = ("salesforce", "hubspot")  # the CRMs kam syncs with (here, so naming them imports no connector)
