"""Pure computations the tools share: scoring, engagement, health, opportunities, economics and their kin.

Nothing here is a tool: these functions take a session (or plain rows), the rules and ``as_of`` and return
typed figures. Tool modules (``tools/*.py``) call them and shape a ``ToolResult``. See docs/architecture.md.
"""
