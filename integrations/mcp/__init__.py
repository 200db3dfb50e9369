"""The MCP face: every registered tool, guidance and account briefs as resources, and prompts for the common jobs,
served over stdio (``kam mcp --as USER``) and Streamable HTTP (``/mcp`` in ``kam serve``, bearer tokens)."""
