"""Fuzzing with hypothesis: the CSV importer, and the note extractor with log_note.

The importer gets random bytes, other encodings, random and duplicated columns, wrong types, huge cells and
spreadsheet formulas, alone or beside a good file. Each import must end in a report: a clean import, or
errors each written ``file:line: column: problem``, and nothing of a failing file (nor of the files after it)
written. Notes get random unicode, control characters, right-to-left text, emoji and huge sizes, through the
offline extractor, through adversarial model readings, and through a whole agent turn: each ends in a proposal
or a question (or, for an empty or oversized note, a clear error), never an exception, never a stored record.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from security_support import appended, demo_runtime, diff, report_figure, snapshot, unconfirmed_writes
from sqlmodel import select

from agent.extraction.llm import ModelExtractor, NoteReading
from evals.fixtures import DEMO_AS_OF
from integrations.runtime import Runtime
from store.import_schema import FILES
from store.importer import import_dir
from store.models import Account, Interaction, Product, Stakeholder, User
from store.settings import Settings
from tools.errors import ToolError
from tools.notes.extract import OfflineExtractor
from tools.notes.log import MAX_NOTE_CHARS, known_scope
from tools.notes.validate import validate
from tools.registry import call_tool

FUZZ = settings(deadline=None, database=None, derandomize=True, suppress_health_check=list(HealthCheck))
TABLE_OF = {spec.filename: spec.table.__name__ for spec in FILES}
COLUMNS = {spec.filename: spec.columns for spec in FILES}
ERROR_LINE = re.compile(r"^(" + "|".join(re.escape(f) for f in TABLE_OF) + r")(:\d+)?: .")
FORMULAS = ["=cmd|' /C calc'!A0", "+SUM(1+1)*cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A9)",
            "=HYPERLINK(\"http://127.0.0.1/x?d=\"&A1,\"click\")", "=1+1", "\t=1+1", "\r=1+1"]
TRICKY = [*FORMULAS, "12.5M", "1e309", "-1e309", "NaN", "inf", "-1", "999999999999999999999999", "2026-02-30",
          "31/12/2026", "yes", "TRUE", "0x10", "  ", '"', "'", "A001", "A040", "U02", "U01", "S0001", "I00001",
          "C0001", "P01", "won", "Closed Won", "budget", "veto", "rep", "admin", "ours", "customer", "done", "open",
          "+1", "-2", "5", "0", "6", "2026-03-31", "2026-03-31T10:30:00", "\u202eevil\u202c", "😀", "名前", "NULL",
          "None", "\\N", "A001\x00", "line\nbreak", "a,b", "ščř", "\ufeffid"]


@pytest.fixture
def demo(settings: Settings) -> Iterator[tuple[dt.date, Runtime]]:
    runtime = demo_runtime(settings)
    yield DEMO_AS_OF, runtime
    runtime.close()


# ----------------------------------------------------------------------------------------------- the importer

cells = st.one_of(st.sampled_from(TRICKY), st.text(max_size=24), st.integers(-10**6, 10**6).map(str),
                  st.floats(allow_nan=True, allow_infinity=True).map(repr), st.dates().map(dt.date.isoformat))


@st.composite
def csv_file(draw: st.DrawFn) -> tuple[str, bytes]:
    """(file name, content): random bytes, or a table with random / real / repeated columns and cells, in some
    encoding, sometimes cut short or with a huge cell."""
    name = draw(st.sampled_from(sorted(TABLE_OF)))
    kind = draw(st.sampled_from(["bytes", "table", "table", "typed", "typed", "huge"]))
    if kind == "bytes":
        return name, draw(st.binary(max_size=2_000))
    real = list(COLUMNS[name])
    if kind == "table":
        header = draw(st.lists(st.one_of(st.sampled_from(real), st.text(max_size=10)), min_size=1, max_size=12))
    else:  # the file's own columns, shuffled, some missing, in any case
        header = draw(st.permutations(real).flatmap(lambda cols: st.lists(st.sampled_from(cols), min_size=1,
                                                                           max_size=len(cols), unique=True)))
        header = [draw(st.sampled_from([h, h.upper(), f" {h} "])) for h in header]
    width = len(header)
    rows = draw(st.lists(st.lists(cells, min_size=max(0, width - 2), max_size=width + 2), max_size=8))
    if kind == "huge":
        rows.append([draw(st.sampled_from(["x", "é", "😀"])) * draw(st.integers(60_000, 400_000))] * max(1, width))
    out = io.StringIO()
    csv.writer(out, lineterminator=draw(st.sampled_from(["\n", "\r\n"]))).writerows([header, *rows])
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16"]))
    data = out.getvalue().encode(encoding, errors="replace")
    if draw(st.booleans()) and len(data) > 2:
        data = data[: draw(st.integers(1, len(data) - 1))]  # cut mid-way: a broken quote or character
    return name, data


@st.composite
def good_file(draw: st.DrawFn) -> tuple[str, bytes, list[str]]:
    """A valid products.csv whose names are spreadsheet formulas (stored as written) or plain words."""
    names = draw(st.lists(st.one_of(st.sampled_from(FORMULAS), st.text(st.characters(codec="utf-8"), min_size=1,
                                                                        max_size=20)),
                          min_size=1, max_size=4))
    names = [n.strip() for n in names if n.strip() and "\x00" not in n] or ["Plain product"]
    rows = [["id", "name"], *[[f"PZ{draw(st.integers(0, 10**6))}-{i}", n] for i, n in enumerate(names)]]
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    return "products.csv", out.getvalue().encode("utf-8"), [r[1] for r in rows[1:]]


def test_importer_under_fuzz_reports_clear_errors_and_writes_nothing_of_a_bad_file(
        demo: tuple[dt.date, Runtime]) -> None:
    _as_of, runtime = demo
    db = runtime.db
    tally: Counter[str] = Counter()
    problems: list[str] = []

    def run(files: list[tuple[str, bytes]], *, formulas: list[str] | None = None) -> None:
        folder = Path(tempfile.mkdtemp(prefix="kam-fuzz-"))
        try:
            for name, data in files:
                (folder / name).write_bytes(data)
            before = snapshot(db)
            try:
                report = import_dir(db, folder, actor="fuzz", progress=False)
            except Exception as exc:  # noqa: BLE001 - the finding
                problems.append(f"{[n for n, _ in files]}: {type(exc).__name__}: {exc}")
                tally["uncaught"] += 1
                return
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        tally["imports"] += 1
        tally["clean" if report.ok else "refused"] += 1
        tally["errors"] += len(report.errors)
        written = {f.file for f in report.files if f.status == "written"}
        changed = {name for name, d in diff(before, snapshot(db)).items() if d}
        changed |= {name for name, rows in appended(db, before).items() if rows and name != "AuditLog"}
        may_change = {TABLE_OF[f] for f in written}
        if changed - may_change:
            problems.append(f"{[n for n, _ in files]}: wrote {sorted(changed - may_change)} "
                            f"though only {sorted(written)} were written")
            tally["partial"] += 1
        failed = {f.file for f in report.files if f.status == "failed"}
        for error in report.errors:
            text = str(error)
            clear = ERROR_LINE.match(text) and len(text) <= 1_000 and text.isprintable() and "Traceback" not in text
            if not clear or error.file not in failed:
                problems.append(f"unclear error: {text[:300]!r}")
        if not report.ok and not report.errors:
            problems.append(f"{[n for n, _ in files]}: refused without an error")
        if formulas is not None and report.ok:
            with db.session() as s:
                stored = set(s.exec(select(Product.name)).all())
            missing = [f for f in formulas if f.strip() not in stored]  # cells are stripped, as SPEC 8 says
            if missing:
                problems.append(f"formula names not stored as written: {missing}")

    @settings(FUZZ, max_examples=140)
    @given(files=st.lists(csv_file(), min_size=1, max_size=2, unique_by=lambda f: f[0]))
    def fuzz(files: list[tuple[str, bytes]]) -> None:
        run(files)

    @settings(FUZZ, max_examples=25)
    @given(good=good_file())
    def good_alone(good: tuple[str, bytes, list[str]]) -> None:
        name, data, names = good
        clean = tally["clean"]
        run([(name, data)], formulas=names)
        if tally["clean"] != clean + 1:
            problems.append(f"a valid products.csv was refused: {names}")

    @settings(FUZZ, max_examples=25)
    @given(good=good_file(), bad=csv_file())
    def beside_a_bad_file(good: tuple[str, bytes, list[str]], bad: tuple[str, bytes]) -> None:
        name, data, names = good
        run([(name, data)] + ([bad] if bad[0] != name else []), formulas=names)

    over_limit = "x" * (16 * 1024 * 1024 + 1)  # one cell past the importer's 16 MB field limit
    run([("interactions.csv", f'id,account_id,date,text\nIZ1,A001,2026-01-01,"{over_limit}"\n'.encode())])
    fuzz()
    good_alone()
    beside_a_bad_file()
    report_figure(f"SECURITY fuzz CSV importer: {tally['imports'] + tally['uncaught']} imports of fuzzed files "
                  f"(random bytes, encodings, columns, types, huge cells, formulas), {tally['clean']} clean, "
                  f"{tally['refused']} refused with {tally['errors']} file:line errors, {tally['uncaught']} uncaught "
                  f"exceptions, {tally['partial']} partial writes")
    assert not problems, "\n".join(problems[:20])
    assert tally["clean"] >= 25 and tally["refused"] >= 50, tally


def test_an_error_quoting_a_huge_cell_or_control_characters_stays_one_short_printable_line(
        demo: tuple[dt.date, Runtime], tmp_path: Path) -> None:
    """Found by the fuzzing above: a 300,000-character date was quoted whole in its error, and a header cell's
    control characters and non-UTF-8 bytes went into the report raw (a terminal would act on them)."""
    _as_of, runtime = demo
    (tmp_path / "interactions.csv").write_text("id,account_id,date,text\nIZ1,A001," + "9" * 300_000 + ",hello\n")
    (tmp_path / "participants.csv").write_bytes(b"interaction_id,stake\x1b[2J\x91holder_id\nI00001,S0001\n")
    report = import_dir(runtime.db, tmp_path, actor="fuzz", progress=False)
    date_error, header_error = (str(e) for e in report.errors)
    assert date_error.startswith("interactions.csv:2: date: '99999") and len(date_error) < 500
    assert "characters left out" in date_error and date_error.endswith("e.g. 2026-03-31")
    assert header_error.startswith("participants.csv:1: stake\\x1b[2J\\udc91holder_id: header byte 0x91")
    assert all(str(e).isprintable() for e in report.errors)


# ----------------------------------------------------------------------------------------------- notes

RTL = "\u202b\u05e9\u05dc\u05d5\u05dd \u0645\u0631\u062d\u0628\u0627\u202c\u200f"
CONTROL = "".join(chr(c) for c in [*range(0, 32), 127, 0x85, 0x2028, 0x2029, 0x200b, 0x200e, 0x202e, 0xFEFF])
pieces = st.one_of(
    st.text(max_size=200),
    st.text(st.sampled_from(CONTROL), max_size=40),
    st.sampled_from([RTL, "😀🔥👩‍💻🇩🇪", "ZALGO: Z̴̡̛a̷̜͝l̵̢̛g̶̨̛o̵̧͝", "\ud7ff\ue000\U0010ffff", "\udcff\ud800",
                     "I'll send it by Friday.",
                     "She is worried about the budget.", "Dana left the company.", "by 2026-02-30", "yesterday",
                     "on Tuesday", "next quarter", " ", "\n\n", "Priya", "Acme", "confirm", "ok"]),
)


@st.composite
def notes(draw: st.DrawFn, people: list[tuple[str, str]]) -> str:
    """A note: an opening naming a real account and person (or not), random pieces, sometimes huge."""
    person, account = draw(st.sampled_from(people))
    opening = draw(st.sampled_from(["", f"Met {person} at {account} today. ", f"Call with {person} ({account}). ",
                                    f"{account}: "]))
    text = opening + "".join(draw(st.lists(pieces, max_size=6)))
    size = draw(st.sampled_from([0, 0, 0, 5_000, 19_990, 20_001, 60_000]))
    if size:
        text = (text or "x") * (size // max(1, len(text)) + 1)
        text = text[:size]
    return text


@st.composite
def readings(draw: st.DrawFn, people: list[tuple[str, str]], mine: list[str], accounts: list[str]
             ) -> tuple[str, NoteReading]:
    """A note and what an unreliable or hostile model says about it: spans from the note or invented, ids of the
    user's people, of other reps' people or of no one, accounts of anyone."""
    text = draw(notes(people))

    def span() -> str:
        if text and draw(st.booleans()):
            start = draw(st.integers(0, len(text) - 1))
            return text[start: start + draw(st.integers(1, 40))]
        return draw(st.one_of(st.text(max_size=20), st.sampled_from(["Dana Whitfield", "Acme Corp", "by Friday"])))

    def maybe(values: st.SearchStrategy[Any]) -> Any:
        return draw(st.one_of(st.none(), values))

    ids = st.sampled_from([*mine[:40], "S0001", "S0010", "S0017", "S9999", ""])
    people_out = [{"name": span(), "stakeholder_id": maybe(ids), "title": maybe(st.just(span())),
                   "sentiment": draw(st.integers(-2, 2)), "sentiment_span": maybe(st.just(span())), "span": span()}
                  for _ in range(draw(st.integers(0, 3)))]
    commitments = [{"side": draw(st.sampled_from(["ours", "customer"])), "owner_stakeholder_id": maybe(ids),
                    "owner_name": maybe(st.just(span())), "description": span(),
                    "due_phrase": maybe(st.sampled_from(["by Friday", "tomorrow", "2026-02-30", "next year", span()])),
                    "span": span()} for _ in range(draw(st.integers(0, 2)))]
    changes = [{"stakeholder_id": draw(ids), "kind": draw(st.sampled_from(["left_company", "title_change"])),
                "new_title": maybe(st.just(span())), "span": span()} for _ in range(draw(st.integers(0, 2)))]
    reading = NoteReading.model_validate({
        "account_id": maybe(st.sampled_from([*accounts, "A001", "A002", "A999"])),
        "account_span": maybe(st.just(span())),
        "date_phrase": maybe(st.sampled_from(["yesterday", "on Tuesday", "2026-02-30", "in 3024", span()])),
        "kind": maybe(st.sampled_from(["meeting", "call", "email", "qbr", "demo"])),
        "kind_span": maybe(st.just(span())),
        "participants": people_out, "commitments": commitments, "changes": changes,
        "questions": draw(st.lists(st.text(max_size=30), max_size=2)),
    })
    return text, reading


def _people(runtime: Runtime, user_id: str) -> list[tuple[str, str]]:
    with runtime.db.session() as s:
        rows = s.exec(select(Stakeholder.name, Account.name).join(Account, Account.id == Stakeholder.account_id)
                      .where(Account.owner_id == user_id).order_by(Stakeholder.id)).all()
    return [(p, a) for p, a in rows]


def _log_note(runtime: Runtime, user: User, as_of: dt.date, text: str, extractor: Any, thread: str) -> Any:
    with runtime.db.write() as s:
        ctx = replace(runtime.context(s, s.get(User, user.id) or user, as_of, thread_id=thread, with_knowledge=False),
                      extractor=extractor)
        return call_tool(ctx, "log_note", {"text": text})


def _clear_refusal(text: str, exc: ToolError) -> bool:
    """The only errors log_note may answer with: a note that is not storable text (a NUL, a lone surrogate), an
    empty one, one over the limit."""
    stripped = text.strip()
    if "\x00" in text or re.search("[\ud800-\udfff]", text):  # not storable text: refused as such
        return "NUL" in exc.message and "valid Unicode" in exc.message
    if not stripped:
        return "empty" in exc.message
    return len(stripped) > MAX_NOTE_CHARS and "limit" in exc.message


def test_notes_under_fuzz_give_a_proposal_or_a_question_and_write_nothing(demo: tuple[dt.date, Runtime]) -> None:
    as_of, runtime = demo
    with runtime.db.session() as s:
        user = s.get(User, "U02")
    assert user is not None
    people = _people(runtime, "U02")
    agent = runtime.agent()
    tally: Counter[str] = Counter()
    problems: list[str] = []

    def check(before: Any, what: str) -> None:
        writes = unconfirmed_writes(diff(before, snapshot(runtime.db)), "U02")
        if writes:
            problems.append(f"{what}: wrote without confirm: {writes}")
            tally["writes"] += 1

    @settings(FUZZ, max_examples=120)
    @given(text=notes(people))
    def offline(text: str) -> None:
        before = snapshot(runtime.db)
        tally["notes"] += 1
        try:
            result = _log_note(runtime, user, as_of, text, OfflineExtractor(), f"fuzz-{tally['notes']}")
            tally[result.status] += 1
            if result.status not in ("pending", "question"):
                problems.append(f"status {result.status} for {text[:80]!r}")
        except ToolError as exc:
            tally["refused"] += 1
            if not _clear_refusal(text, exc):
                problems.append(f"{exc.message} for {text[:80]!r}")
        except Exception as exc:  # noqa: BLE001 - the finding
            tally["uncaught"] += 1
            problems.append(f"{type(exc).__name__}: {exc} for {text[:80]!r}")
        check(before, "log_note")

    accounts, known = _scope(runtime, user, as_of)

    @settings(FUZZ, max_examples=120)
    @given(case=readings(people, [p.id for p in known], [a.id for a in accounts]))
    def model_readings(case: tuple[str, NoteReading]) -> None:
        """A model that answers anything at all: validation keeps only what the note and the scope support."""
        text, reading = case
        tally["readings"] += 1
        fake = _FakeModel(reading)
        try:
            raw = ModelExtractor(runtime.settings, model=fake).extract(text, as_of=as_of, people=known,
                                                                     accounts=accounts, account_id=None)
            extraction, _dropped = validate(raw, text=text, as_of=as_of, people=known, accounts=accounts)
        except Exception as exc:  # noqa: BLE001 - the finding
            tally["uncaught"] += 1
            problems.append(f"reading: {type(exc).__name__}: {exc}")
            return
        tally["fell back" if raw.source != "model" else "model"] += 1
        mine = {a.id for a in accounts}
        if extraction.account is not None and extraction.account.id not in mine:
            problems.append(f"reading kept account {extraction.account.id}")
        allowed = {p.id for p in known if extraction.account and p.account_id == extraction.account.id}
        for item in [*extraction.participants, *extraction.changes, *extraction.commitments]:
            if item.span not in text:
                problems.append(f"reading kept a span not in the note: {item.span!r}")
        named = [p.stakeholder_id for p in extraction.participants] + [c.stakeholder_id for c in extraction.changes]
        for sid in named + [c.owner for c in extraction.commitments if c.side == "customer"]:
            if sid is not None and sid not in allowed:
                problems.append(f"reading kept stakeholder {sid} outside the account")

    @settings(FUZZ, max_examples=40)
    @given(text=notes(people))
    def turns(text: str) -> None:
        before = snapshot(runtime.db)
        tally["turns"] += 1
        try:
            response = agent.turn(user, text, thread_id=f"fuzz-turn-{tally['turns']}", as_of=as_of)
        except Exception as exc:  # noqa: BLE001 - the finding
            tally["uncaught"] += 1
            problems.append(f"turn: {type(exc).__name__}: {exc} for {text[:80]!r}")
            return
        if not response.reply.strip():
            problems.append(f"empty reply for {text[:80]!r}")
        check(before, "turn")

    offline()
    model_readings()
    turns()
    report_figure(f"SECURITY fuzz notes: {tally['notes']} fuzzed notes through log_note ({tally['pending']} proposals, "
                  f"{tally['question']} questions, {tally['refused']} refused: not text, empty or over the limit), "
                  f"{tally['readings']} adversarial model readings validated ({tally['fell back']} fell back to "
                  f"the offline reader), {tally['turns']} agent turns; {tally['uncaught']} exceptions, "
                  f"{tally['writes']} writes without confirm")
    assert not problems, "\n".join(problems[:20])
    assert tally["pending"] >= 10 and tally["question"] >= 10, tally


def _scope(runtime: Runtime, user: User, as_of: dt.date) -> tuple[list[Any], list[Any]]:
    with runtime.db.session() as s:
        ctx = runtime.context(s, user, as_of, with_knowledge=False)
        return known_scope(ctx)


class _FakeModel:
    """Stands in for the structured-output model: returns the reading hypothesis made."""

    def __init__(self, reading: NoteReading) -> None:
        self.reading = reading

    def invoke(self, _messages: Any) -> NoteReading:
        return self.reading


def test_a_turn_with_undecodable_bytes_or_nul_characters_is_answered(demo: tuple[dt.date, Runtime]) -> None:
    """Found by the fuzzing above: a message or thread id with a lone surrogate (what Python makes of bytes a
    terminal could not decode, as in ``kam chat``'s arguments) raised UnicodeEncodeError out of the turn."""
    as_of, runtime = demo
    with runtime.db.session() as s:
        user = s.get(User, "U02")
    assert user is not None
    agent = runtime.agent()
    note = agent.turn(user, "Met Dana Whitfield at Acme Corp today \udcff\x00 she is worried about the budget",
                      thread_id="odd\udcff\x00thread", as_of=as_of)
    [call] = note.tool_calls
    assert call.name == "log_note" and call.ok and call.result["status"] == "pending", call
    assert note.thread_id == "odd\ufffdthread"
    stored = agent.turn(user, "confirm", thread_id="odd\udcff\x00thread", as_of=as_of)
    assert stored.tool_calls[0].name == "confirm_note" and stored.tool_calls[0].ok, stored
    with runtime.db.session() as s:
        text = s.get(Interaction, stored.tool_calls[0].result["interaction_id"]).text
    assert text == "Met Dana Whitfield at Acme Corp today \ufffd she is worried about the budget"
