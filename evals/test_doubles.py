"""The test doubles the benchmarks borrow from the test suite (``tests/support/``), found in a source checkout."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

_SUPPORT = Path(__file__).resolve().parents[1] / "tests" / "support"


def support_module(name: str) -> ModuleType:
    """``tests/support/<name>.py``; a clear error outside a source checkout, where the tests are not shipped."""
    if not (_SUPPORT / f"{name}.py").is_file():
        raise RuntimeError(f"this benchmark needs a source checkout: {_SUPPORT / name}.py is not there")
    if str(_SUPPORT) not in sys.path:
        sys.path.append(str(_SUPPORT))
    return importlib.import_module(name)


def slack_mock() -> ModuleType:
    """The Slack Web API mock (a local server speaking Slack's protocol)."""
    return support_module("slack_mock")
