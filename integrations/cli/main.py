"""Entry point of the ``kam`` console command."""

from __future__ import annotations

# Command modules register their commands on ``app`` when imported.
from integrations.cli import (
    cmd_bench,  # noqa: F401, E402  (bench)
    cmd_chat,  # noqa: F401, E402  (chat)
    cmd_crm,  # noqa: F401, E402  (sync)
    cmd_data,  # noqa: F401, E402  (import, demo)
    cmd_doctor,  # noqa: F401, E402  (doctor)
    cmd_eval,  # noqa: F401, E402  (eval)
    cmd_knowledge,  # noqa: F401, E402  (reindex)
    cmd_mcp,  # noqa: F401, E402  (mcp)
    cmd_nudges,  # noqa: F401, E402  (nudges run)
    cmd_serve,  # noqa: F401, E402  (serve, users)
    cmd_tool,  # noqa: F401, E402  (tool, tools)
)
from integrations.cli.app import app


def main() -> None:
    from integrations.cli.logs import configure

    configure()  # before any library gets to configure logging itself
    app()


if __name__ == "__main__":
    main()
