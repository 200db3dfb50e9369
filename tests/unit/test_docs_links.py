"""The README is an on-ramp: small, the two set-up commands at its top, and every relative link resolves.

Links are checked in README.md and every ``docs/*.md``: a relative link must name a file of the repository, and
a ``#fragment`` on a markdown file must name one of its headings (GitHub's anchors). The README must link every
page under ``docs/``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest


def _repo_root() -> Path:
    here = Path(__file__).resolve().parent
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").is_file():
            return folder
    raise AssertionError(f"no pyproject.toml above {here}")


ROOT = _repo_root()
README = ROOT / "README.md"
MAX_README_BYTES = 15_000
SETUP_COMMANDS = (
    "pip install -e . && kam demo",
    "pip install -e '.[dev]' && pytest",
)

# Pages other engineers are writing. The lead empties this list once they are merged.
NOT_YET_WRITTEN = {"docs/architecture.md"}

_FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"`[^`\n]*`")
_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.MULTILINE)


def _doc_files() -> list[Path]:
    return [README, *sorted((ROOT / "docs").glob("*.md"))]


def _prose(text: str) -> str:
    """The text without fenced code blocks and inline code, where brackets are not links."""
    return _CODE_SPAN.sub("", _FENCE.sub("", text))


def _links(text: str) -> list[str]:
    return _LINK.findall(_prose(text))


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading).replace("`", "").strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    seen: dict[str, int] = {}
    out: set[str] = set()
    for heading in _HEADING.findall(_FENCE.sub("", path.read_text(encoding="utf-8"))):
        base = _anchor(heading)
        n = seen.get(base, 0)
        seen[base] = n + 1
        out.add(base if n == 0 else f"{base}-{n}")
    return out


def _is_external(target: str) -> bool:
    return bool(re.match(r"^[a-z][a-z0-9+.-]*:", target, re.IGNORECASE))


def test_readme_is_under_the_size_limit() -> None:
    size = len(README.read_bytes())
    assert size < MAX_README_BYTES, f"README.md is {size:,} bytes; keep it under {MAX_README_BYTES:,} (details: docs/)"


def test_readme_opens_with_the_two_setup_commands() -> None:
    text = README.read_text(encoding="utf-8")
    first_section = text.find("\n## ")
    block = re.search(r"^```(?:bash|sh)?\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    assert block, "README.md has no code block"
    assert first_section == -1 or block.start() < first_section, "the set-up commands must come before any section"
    commands = [line.split("#", 1)[0].strip() for line in block.group(1).splitlines() if line.strip()]
    assert commands == list(SETUP_COMMANDS)


@pytest.mark.parametrize("page", _doc_files(), ids=lambda p: str(p.relative_to(ROOT)))
def test_every_relative_link_resolves(page: Path) -> None:
    broken = []
    for target in _links(page.read_text(encoding="utf-8")):
        if _is_external(target):
            continue
        path_part, _, fragment = target.partition("#")
        file = (page.parent / path_part).resolve() if path_part else page
        rel = file.relative_to(ROOT).as_posix() if file.is_relative_to(ROOT) else str(file)
        if not file.exists():
            if rel not in NOT_YET_WRITTEN:
                broken.append(f"{target}: no file {rel}")
            continue
        if fragment and file.suffix == ".md" and fragment not in _anchors(file):
            broken.append(f"{target}: no heading #{fragment} in {rel}")
    assert not broken, f"{page.relative_to(ROOT)}: broken links:\n" + "\n".join(broken)


def test_readme_links_every_docs_page() -> None:
    linked = {t.partition("#")[0] for t in _links(README.read_text(encoding="utf-8")) if not _is_external(t)}
    pages = {p.relative_to(ROOT).as_posix() for p in (ROOT / "docs").glob("*.md")}
    assert pages, "docs/ has no pages"
    assert not pages - linked, f"README.md does not link {sorted(pages - linked)}"


def test_not_yet_written_pages_are_still_missing() -> None:
    """Once a page on the allow-list exists, its entry must go, so that its links are checked too."""
    present = sorted(p for p in NOT_YET_WRITTEN if (ROOT / p).exists())
    assert not present, f"remove {present} from NOT_YET_WRITTEN in {Path(__file__).name}"


def test_anchor_rule_matches_github() -> None:
    assert _anchor("The demo portfolio: `kam demo`") == "the-demo-portfolio-kam-demo"
    assert _anchor("SQL is the source of truth; the outbox keeps the index in step") == (
        "sql-is-the-source-of-truth-the-outbox-keeps-the-index-in-step"
    )
    assert _anchor("Health and drift (`[health]`, `[drift]`)") == "health-and-drift-health-drift"
