"""Export profiles: how the files a CRM's standard exports and reports produce map onto the SPEC 8 files.

A profile is data, a TOML file: ``store/profiles/salesforce.toml`` and ``store/profiles/hubspot.toml``
ship with kam, and ``kam import --profile PATH.toml`` reads a team's own. A profile is a list of feeds;
a feed reads one kind of CRM file (the first of its ``files`` names found in the directory, in any case)
into one of our files (``target``)::

    [[feed]]
    target = "accounts"
    files = ["Account.csv", "accounts export.csv"]
    defaults = { role = "kam" }            # a value for an empty (or absent) column
    keep_if = { account_id = "." }         # a record whose value (ours, or a source column's) does not match
                                           # is left out, and counted
    explode = "stakeholder_id"             # one row per item of a list cell (split on ";")
    [feed.columns]
    id = ["Id", "Account ID"]              # the first of these source columns with a value in the record
    name = ["Name", "FirstName + LastName"]  # "+" joins several source columns (with a space)
    text = { from = ["Subject + Description"], sep = "\\n\\n" }
    kind = { from = ["TaskSubtype"], values = { call = "call", listemail = "email" } }
    account_id = { from = ["Associated Company IDs"], first = true }  # the first item of a list cell

A record keeps its physical line, so an error reads ``Opportunity.csv:7: Stage: unknown stage ...``:
the CRM's file, line and column. Everything after the mapping (validation, references, the
idempotent upsert and the audit) is the importer's, unchanged.
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from store.csv_rows import CsvFile, CsvProblem, open_csv
from store.import_schema import FILES_BY_NAME

PROFILES_DIR = Path(__file__).parent / "profiles"
_LIST_SEP = ";"


class ProfileError(ValueError):
    """A profile that does not exist or cannot be read; the message names the file and the key."""


@dataclass(frozen=True)
class ColumnMap:
    """Where one of our columns comes from: alternatives, each one or more source columns joined."""

    target: str
    alternatives: tuple[tuple[str, ...], ...]
    sep: str = " "
    first: bool = False
    values: dict[str, str] = field(default_factory=dict)

    def label(self, header: list[str]) -> str:
        """The source column(s) a message should name: the first present alternative, else all of them."""
        present = [alt for alt in self.alternatives if all(c.lower() in header for c in alt)]
        shown = present[:1] or self.alternatives
        return " or ".join(" + ".join(alt) for alt in shown)

    def value(self, cells: dict[str, str]) -> str | None:
        for alternative in self.alternatives:
            parts = [cells.get(c.lower(), "").strip() for c in alternative]
            text = self.sep.join(p for p in parts if p)
            if not text:
                continue
            if self.first:
                text = next((item.strip() for item in text.split(_LIST_SEP) if item.strip()), "")
            return self.values.get(text.strip().lower(), text)
        return None


@dataclass(frozen=True)
class Feed:
    """One kind of CRM file read into one of our files."""

    target: str
    files: tuple[str, ...]
    columns: tuple[ColumnMap, ...]
    defaults: dict[str, str] = field(default_factory=dict)
    keep_if: dict[str, re.Pattern[str]] = field(default_factory=dict)
    explode: str | None = None

    def find(self, found: dict[str, Path]) -> Path | None:
        return next((found[name.lower()] for name in self.files if name.lower() in found), None)


@dataclass(frozen=True)
class Profile:
    name: str
    description: str
    feeds: tuple[Feed, ...]
    date_formats: tuple[str, ...] = ()

    @property
    def file_names(self) -> list[str]:
        return list(dict.fromkeys(name for feed in self.feeds for name in feed.files))


@dataclass
class ProfiledCsv(CsvFile):
    """A CRM file seen as one of our files: our column names, the CRM's lines, values mapped."""

    feed: Feed | None = None
    date_formats: tuple[str, ...] = ()
    source_header: list[str] = field(default_factory=list)
    left_out: int = 0

    def records(self) -> Iterator[tuple[int, list[str]]]:
        assert self.feed is not None
        feed = self.feed
        self.left_out = 0
        for line, cells in CsvFile.records(self):
            by_name = dict(zip(self.source_header, cells, strict=False))
            values = {m.target: m.value(by_name) for m in feed.columns}
            for column, default in feed.defaults.items():
                values[column] = values.get(column) or default
            if any(not pattern.search((values[c] if c in values else by_name.get(c.lower())) or "")
                   for c, pattern in feed.keep_if.items()):
                self.left_out += 1
                continue
            for column in ("date", "created", "close_date", "due", "done"):
                if values.get(column):
                    values[column] = _iso_date(values[column], self.date_formats)  # type: ignore[arg-type]
            items = [None]
            if feed.explode and values.get(feed.explode):
                items = [i.strip() for i in values[feed.explode].split(_LIST_SEP) if i.strip()]  # type: ignore[union-attr]
            for item in items:
                if item is not None:
                    values[feed.explode] = item  # type: ignore[index]
                yield line, [values.get(c) or "" for c in self.header]


def _iso_date(text: str, formats: tuple[str, ...]) -> str:
    """A date in one of the profile's formats (e.g. a report's ``%m/%d/%Y``) as ISO; other text unchanged."""
    for fmt in formats:
        try:
            return dt.datetime.strptime(text.strip(), fmt).date().isoformat()
        except ValueError:
            continue
    return text


def open_profiled(path: Path, feed: Feed, profile: Profile) -> tuple[ProfiledCsv | None, list[CsvProblem]]:
    """Read ``path`` through ``feed`` (see ``profiled``)."""
    csv_file, problems = open_csv(path)
    if csv_file is None:
        return None, problems
    return profiled(csv_file, feed, profile)


def profiled(csv_file: CsvFile, feed: Feed, profile: Profile) -> tuple[ProfiledCsv | None, list[CsvProblem]]:
    """``csv_file`` seen through ``feed``: a required column of ours that no source column gives is an error
    naming the source columns that would."""
    spec = FILES_BY_NAME[feed.target]
    maps = {m.target: m for m in feed.columns}
    missing = [c for c in spec.required if c not in feed.defaults and not (
        c in maps and any(all(s.lower() in csv_file.header for s in alt) for alt in maps[c].alternatives))]
    if missing:
        have = ", ".join(h for h in csv_file.header if h) or "nothing"
        return None, [CsvProblem(csv_file.header_line, maps[c].label([]) if c in maps else c,
                                 f"required column is missing (the header has: {have})") for c in missing]
    header = [c for c in spec.columns if c in maps or c in feed.defaults]
    labels = {c: maps[c].label(csv_file.header) for c in header if c in maps}
    return ProfiledCsv(path=csv_file.path, text=csv_file.text, header=header, header_line=csv_file.header_line,
                       lines=csv_file.lines, labels=labels, feed=feed, date_formats=profile.date_formats,
                       source_header=csv_file.header), []


def with_fields(profile: Profile, fields: Mapping[str, Mapping[str, list[str]]]) -> Profile:
    """``profile`` with a team's own source columns (``[import.fields.PROFILE]`` of the rules file): per file
    of ours, a column's alternatives replaced, e.g. ``{"accounts": {"industry": ["Sector__c"]}}``."""
    if not fields:
        return profile
    for target, columns in fields.items():
        if target not in FILES_BY_NAME:
            raise ProfileError(f"import.fields.{profile.name}: {target!r} is not one of: {', '.join(FILES_BY_NAME)}")
        unknown = [c for c in columns if c not in FILES_BY_NAME[target].columns]
        if unknown:
            raise ProfileError(f"import.fields.{profile.name}.{target}: {unknown[0]!r} is not a column of "
                               f"{target}.csv")
    feeds = []
    for feed in profile.feeds:
        override = fields.get(feed.target, {})
        kept = [m for m in feed.columns if m.target not in override]
        added = [ColumnMap(column, tuple(tuple(p.strip() for p in alt.split(" + ")) for alt in sources))
                 for column, sources in override.items()]
        feeds.append(replace(feed, columns=tuple(kept + added)))
    return replace(profile, feeds=tuple(feeds))


def load_profile(name_or_path: str | Path) -> Profile:
    """A shipped profile by name (``salesforce``, ``hubspot``) or a team's own TOML file by path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = PROFILES_DIR / f"{name_or_path}.toml"
        if not path.is_file():
            shipped = ", ".join(sorted(p.stem for p in PROFILES_DIR.glob("*.toml")))
            raise ProfileError(f"no profile {str(name_or_path)!r}; the shipped ones are: {shipped} "
                               "(or give the path of your own .toml)")
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ProfileError(f"{path}: cannot read the profile: {exc.strerror or exc}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ProfileError(f"{path}: not valid TOML: {exc}") from exc
    try:
        feeds = tuple(_feed(f) for f in data.get("feed", []))
    except (KeyError, TypeError, ValueError, re.error) as exc:
        raise ProfileError(f"{path}: {exc}") from exc
    if not feeds:
        raise ProfileError(f"{path}: no [[feed]] in the profile")
    return Profile(name=str(data.get("name", path.stem)), description=str(data.get("description", "")),
                   feeds=feeds, date_formats=tuple(data.get("date_formats", ())))


def _feed(data: dict[str, Any]) -> Feed:
    target = data["target"]
    if target not in FILES_BY_NAME:
        raise ValueError(f"feed target {target!r} is not one of: {', '.join(FILES_BY_NAME)}")
    spec = FILES_BY_NAME[target]
    columns = []
    for column, source in data.get("columns", {}).items():
        if column not in spec.columns:
            raise ValueError(f"feed {target}: {column!r} is not a column of {spec.filename}")
        if not isinstance(source, dict):
            source = {"from": source}
        alternatives = tuple(tuple(part.strip() for part in alt.split(" + ")) for alt in source["from"])
        values = {str(k).lower(): str(v) for k, v in source.get("values", {}).items()}
        columns.append(ColumnMap(column, alternatives, source.get("sep", " "), bool(source.get("first")), values))
    files = data["files"]
    return Feed(target=target, files=tuple(files), columns=tuple(columns),
                defaults={k: str(v) for k, v in data.get("defaults", {}).items()},
                keep_if={k: re.compile(v) for k, v in data.get("keep_if", {}).items()},
                explode=data.get("explode"))
