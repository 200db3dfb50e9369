"""The layout rules of docs/architecture.md, checked on the source: a tool's name lives only with the tool, the
dependency rule holds one way down, the planner reads no store, no module outgrows 450 lines, and no import closes a
cycle."""

from __future__ import annotations

import ast
import graphlib
import re
from pathlib import Path

from repo import ROOT

from tools.registry import all_tools

PACKAGES = ("agent", "integrations", "knowledge", "store", "tools")
# Where a tool's name may be written: its own package, the tests and the evals (datasets of expected calls).
NAME_HOME = ("tools", "tests", "evals")
MAX_LINES = 450
# The dependency rule: integrations -> agent -> tools -> store, knowledge. A package may import those to its right.
MAY_IMPORT = {
    "integrations": {"integrations", "agent", "tools", "store", "knowledge"},
    "agent": {"agent", "tools", "store", "knowledge"},
    "tools": {"tools", "store", "knowledge"},
    "knowledge": {"knowledge", "store"},
    "store": {"store"},
}


def _modules(*packages: str) -> list[Path]:
    return sorted(p for pkg in packages for p in (ROOT / pkg).rglob("*.py") if "migrations" not in p.parts)


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
    return found


def test_no_tool_name_is_written_outside_tools_tests_and_evals() -> None:
    names = sorted(all_tools())
    assert len(names) >= 16
    word = re.compile(r"\b(" + "|".join(map(re.escape, names)) + r")\b")
    outside = [p for p in ROOT.rglob("*.py") if p.relative_to(ROOT).parts[0] not in (*NAME_HOME, ".git")]
    found = []
    for path in outside:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and (m := word.search(node.value)):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {m.group(0)}")
    assert found == [], "a tool is named outside its module (refer to it by its function or its spec):\n" + "\n".join(
        found)


def test_the_dependency_rule_holds_one_way_down() -> None:
    wrong = []
    for path in _modules(*PACKAGES):
        package = path.relative_to(ROOT).parts[0]
        for module in _imports(path):
            top = module.split(".")[0]
            if top in MAY_IMPORT and top not in MAY_IMPORT[package]:
                wrong.append(f"{path.relative_to(ROOT)} imports {module}")
    assert wrong == []


def test_the_planner_is_pure_it_opens_no_store() -> None:
    planner = _modules("agent/planner")
    assert (ROOT / "agent" / "planner" / "__init__.py").exists()
    for path in planner:
        touched = {m for m in _imports(path) if m.split(".")[0] in ("sqlmodel", "sqlalchemy", "store")}
        assert touched <= {"store.models"}, f"{path.relative_to(ROOT)} reads the store: {sorted(touched)}"
        assert ".session(" not in path.read_text(), f"{path.relative_to(ROOT)} opens a session"


def test_no_module_is_over_450_lines() -> None:
    big = [f"{p.relative_to(ROOT)}: {n}" for p in _modules(*PACKAGES, "evals")
           if (n := len(p.read_text().splitlines())) > MAX_LINES]
    assert big == []


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _loads_at_import(path: Path, known: set[str]) -> set[str]:
    """The project's modules that importing ``path`` loads first: its top-level imports (a name imported from a
    package may be a module) and, for each, every package above it (Python imports a module's packages first)."""
    named: set[str] = set()
    for node in ast.parse(path.read_text()).body:
        if isinstance(node, ast.Import):
            named |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            named |= {node.module, *(f"{node.module}.{alias.name}" for alias in node.names)}
    loads = set()
    for name in named | {_module_name(path)}:
        parts = name.split(".")
        loads |= {".".join(parts[:i]) for i in range(1, len(parts) + 1)}
    return (loads & known) - {_module_name(path)}


def test_no_module_is_imported_in_a_cycle() -> None:
    """A server answers in threads, and some modules load only when first needed (the note reader, the date
    reader, the planner). When two threads first import two modules of one cycle at once, Python hands one of them the
    other's half-made module (ImportError: "partially initialized module"). A package whose ``__init__`` imports
    its own modules back closes such a cycle; without cycles, concurrent first imports only wait on each other."""
    paths = _modules(*PACKAGES)
    known = {_module_name(p) for p in paths}
    graph = {_module_name(p): _loads_at_import(p, known) for p in paths}
    try:
        list(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        raise AssertionError(f"an import cycle: {' -> '.join(error.args[1])}") from None
