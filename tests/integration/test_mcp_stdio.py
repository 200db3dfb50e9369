"""The MCP server over real stdio: ``kam mcp --as U02`` in a child process, driven by the SDK's own client."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import anyio
import pytest
from mcp import Client, StdioServerParameters
from mcp_support import AS_OF, USER, DemoStore, child_env, module_settings, scenario
from server_support import ROOT

from tools.registry import all_tools


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DemoStore]:
    for settings in module_settings(tmp_path_factory.mktemp("mcp-stdio")):
        demo = DemoStore(settings)
        try:
            yield demo
        finally:
            demo.close()


def _server(store: DemoStore, user: str, *extra: str) -> StdioServerParameters:
    return StdioServerParameters(command=sys.executable,
                                 args=["-m", "integrations.cli.main", "mcp", "--as", user, *extra],
                                 env=child_env(store.settings), cwd=str(ROOT))


def test_everything_over_stdio(store: DemoStore) -> None:
    async def main() -> None:
        async with Client(_server(store, USER, "--as-of", AS_OF), read_timeout_seconds=120) as client:
            assert client.server_info and client.server_info.name == "kam-agent"
            assert client.instructions and "confirm" in client.instructions
            await scenario(client, store)

    anyio.run(main)


def test_an_unknown_user_is_refused_before_serving(store: DemoStore) -> None:
    done = subprocess.run([sys.executable, "-m", "integrations.cli.main", "mcp", "--as", "Nobody Atall"],
                          env=child_env(store.settings), cwd=str(ROOT), capture_output=True, text=True,
                          timeout=120, stdin=subprocess.DEVNULL)
    assert done.returncode == 2 and "no user 'Nobody Atall'" in done.stderr and done.stdout == ""


def test_the_docs_describe_every_tool() -> None:
    docs = (ROOT / "docs" / "mcp.md").read_text(encoding="utf-8")
    missing = [name for name in all_tools() if f"| `{name}` |" not in docs]
    assert not missing, f"docs/mcp.md does not describe: {missing}"
