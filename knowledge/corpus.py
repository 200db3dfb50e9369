"""The guidance corpus: markdown files in ``knowledge/guidance/`` parsed into retrievable sections.

Layout of a guidance file::

    # Theme title

    ## Section title
    <!-- id: section-id -->

    Body text, retrieved on its own ...

A file has one ``#`` title, then ``##`` sections, each with an id line right under its heading. Deeper
headings (``###``) stay inside their section's text. Anything outside a section would never be retrieved,
so it is refused, as are a section without an id and an id used twice; every error names file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

GUIDANCE_DIR = Path(__file__).parent / "guidance"

_ID_LINE = re.compile(r"^<!--\s*id:\s*(?P<id>\S*)\s*-->\s*$")
_VALID_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.+?)\s*#*\s*$")
_FENCE = re.compile(r"^\s*(```|~~~)")
_WORD = re.compile(r"[A-Za-z0-9]+(?:['’.\-][A-Za-z0-9]+)*")


class CorpusError(ValueError):
    """A guidance file that cannot be used; the message names the file, the line and the problem."""


@dataclass(frozen=True)
class GuidanceSection:
    """One retrievable passage: a ``##`` section of a guidance file."""

    id: str
    title: str
    file: str  # the file name inside the guidance directory
    text: str  # the section body (markdown), without its heading and id line
    heading_path: tuple[str, ...]  # (file title, section title)
    line: int  # 1-based line of the section heading

    @property
    def word_count(self) -> int:
        """Words in the body (table pipes and markup are not words)."""
        return len(_WORD.findall(self.text))

    @property
    def citation(self) -> str:
        """How an answer cites this section: ``Title [id]``."""
        return f"{self.title} [{self.id}]"


def load_guidance(directory: Path | None = None) -> list[GuidanceSection]:
    """All sections of the ``*.md`` files in ``directory`` (default: the bundled corpus), in file order.

    Raises ``CorpusError`` for a missing or empty directory, a section without an id, a malformed or
    duplicate id, an empty section, or text outside any section.
    """
    root = Path(directory) if directory is not None else GUIDANCE_DIR
    if not root.is_dir():
        raise CorpusError(f"{root}: guidance directory not found")
    files = sorted(root.glob("*.md"))
    if not files:
        raise CorpusError(f"{root}: no guidance files (*.md)")
    sections: list[GuidanceSection] = []
    seen: dict[str, GuidanceSection] = {}
    for path in files:
        for section in _parse_file(path):
            if section.id in seen:
                first = seen[section.id]
                raise CorpusError(
                    f"{path.name}:{section.line}: duplicate id '{section.id}' "
                    f"(first used in {first.file}:{first.line})"
                )
            seen[section.id] = section
            sections.append(section)
    return sections


def _parse_file(path: Path) -> list[GuidanceSection]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError as exc:
        raise CorpusError(f"{path.name}: not valid UTF-8 ({exc})") from exc
    file_title: str | None = None
    sections: list[GuidanceSection] = []
    current: dict[str, Any] | None = None
    in_fence = False

    def close() -> None:
        if current is None:
            return
        if current["id"] is None:
            raise CorpusError(
                f"{path.name}:{current['line']}: section '{current['title']}' has no id line "
                f"(put '<!-- id: some-id -->' right under the heading)"
            )
        body = "\n".join(current["body"]).strip()
        if not body:
            raise CorpusError(f"{path.name}:{current['line']}: section '{current['title']}' has no text")
        sections.append(
            GuidanceSection(
                id=current["id"],
                title=current["title"],
                file=path.name,
                text=body,
                heading_path=(file_title or path.stem, current["title"]),
                line=current["line"],
            )
        )

    for number, line in enumerate(lines, start=1):
        if _FENCE.match(line):
            in_fence = not in_fence
        heading = None if in_fence else _HEADING.match(line)
        level = len(heading.group("hashes")) if heading else 0
        if level == 1:
            if file_title is not None or current is not None:
                raise CorpusError(f"{path.name}:{number}: a second '#' title; a file has one, at the top")
            file_title = heading.group("title")
        elif level == 2:
            close()
            current = {"title": heading.group("title"), "line": number, "id": None, "body": []}
        elif current is None:
            if line.strip():
                raise CorpusError(
                    f"{path.name}:{number}: text outside any '##' section (it would never be retrieved)"
                )
        elif current["id"] is None:
            if not line.strip():
                continue
            match = _ID_LINE.match(line.strip())
            if not match:
                raise CorpusError(
                    f"{path.name}:{current['line']}: section '{current['title']}' has no id line "
                    f"(put '<!-- id: some-id -->' right under the heading)"
                )
            section_id = match.group("id")
            if not _VALID_ID.match(section_id):
                raise CorpusError(
                    f"{path.name}:{number}: bad id '{section_id}' (use lowercase letters, digits and hyphens)"
                )
            current["id"] = section_id
        else:
            current["body"].append(line)
    if in_fence:
        raise CorpusError(f"{path.name}: a code fence is never closed")
    close()
    if not sections:
        raise CorpusError(f"{path.name}: no '##' sections")
    return sections
