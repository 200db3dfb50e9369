"""CSV import (SPEC 8): validation with file:line: column errors, nothing of a bad file written,
idempotent re-import with audit only for real changes, and ``kam import`` exit codes."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select
from typer.testing import CliRunner

from integrations.cli.main import app
from store.db import Database
from store.demo import generate_portfolio, write_csvs
from store.import_schema import FILES
from store.importer import ImportDirError, import_dir
from store.models import (
    Account,
    AccountPlan,
    AuditLog,
    Commitment,
    Interaction,
    Opportunity,
    Participant,
    Product,
    Stakeholder,
    User,
)

AS_OF = dt.date(2026, 11, 22)
TABLES = {spec.name: spec.table for spec in FILES}

# A small valid book. Users: Sam's manager U01 is defined after him. Interactions: I1's text spans two
# physical lines, so the record on line 7 is the sixth record (lines count, not records).
BASE: dict[str, list[str]] = {
    "users": [
        "id,name,role,manager_id,slack_user_id",
        "U02,Sam Patel,kam,U01,USAM",
        "U03,Jordan Lee,Rep,U01,",
        "U01,Grace Okafor,manager,,",
    ],
    "accounts": [
        "id,name,owner_id,industry,annual_revenue,gross_margin_pct,wallet_estimate,cost_to_serve,growth_target,"
        "growth_potential,strategic_fit,competitive_position,propensity_to_partner,scored_by,crm_notes",
        "A1,Acme Corp,U02,Manufacturing,4200000,38,9500000,380000,900000,5,5,4,4,U02,extra column: ignored",
        "A2,Halcyon Retail Group,U03,Retail,2650000.50,31,6000000,260000,550000,4,4,3,3,U03,",
        "A3,Northwind Logistics,U03,Logistics,3400000,42,5200000,300000,700000,5,4,4,4,U03,",
        "A4,Brightwater Foods,U02,,1350000,27,,,,,,,,,",
        "A5,Keystone Mutual,U03,Insurance,950000,35,3800000,120000,190000,3,3,2,2,U01,",
        "A6,Globex Manufacturing,U02,Manufacturing,5100000,12,8000000,420000,600000,3,3,4,3,U02,",
    ],
    "products": ["id,name", "P1,Nimbus Analytics", "P2,FlowOps Automation"],
    "stakeholders": [
        "id,account_id,name,title,department,authority,influence,is_executive,reports_to,tag",
        "S1,A1,Dana Whitfield,CFO,Finance,budget,5,yes,,",
        "S2,A1,Priya Raman,VP Operations,Operations,,4,no,S3,Champion",
        "S3,A1,Helen Brooks,COO,Operations,approver,5,true,,",
        "S4,A2,Nina Alvarez,Director of E-commerce,E-commerce,none,4,0,,champion",
    ],
    "interactions": [
        "id,account_id,date,kind,author_id,text",
        'I1,A1,2026-11-17,call,U02,"Call with Dana.',
        'She is worried about budget, and pricing."',
        "I2,A1,2026-10-01,QBR,U02,QBR with Dana and Helen",
        "I3,A2,2026-11-13,meeting,U03,Escalation with Nina",
        "I4,A2,2026-09-01,,,",
        "I5,A1,2026-08-01T10:30:00,email,U02,timestamps keep their date",
    ],
    "participants": [
        "interaction_id,stakeholder_id,sentiment",
        "I1,S1,-1",
        "I2,S1,+1",
        "I2,S3,2",
        "I3,S4,-2",
        "I4,S4,",
    ],
    "opportunities": [
        "id,account_id,name,product,business_unit,amount,stage,created,close_date",
        "O1,A1,Nimbus renewal,P1,Plants,1200000,negotiation,2026-07-25,2027-01-01",
        "O2,A2,FlowOps for stores,flowops automation,Stores,240000,Closed Won,2026-01-10,2026-05-01",
    ],
    "commitments": [
        "id,account_id,side,owner_id,description,due,status,done",
        "C1,A1,ours,U02,Send Dana the ROI summary,2026-11-24,open,",
        "C2,A2,customer,U03,Nina to send the order logs,2026-11-01,,2026-10-30",
        "C3,A2,,U03,Fix the order sync,2026-11-16,,",
    ],
    "plans": ["account_id,date", "A1,2026-01-15", "A1,2026-04-15"],
}

# A valid new row per file: appended after a bad line, it must not be written either.
NEW_ROW = {
    "users": "U09,New Person,rep,U01,",
    "accounts": "A9,New Account,U02,Retail,100000,20,,,,,,,,,",
    "products": "P9,New Product",
    "stakeholders": "S9,A2,New Person,Analyst,IT,none,1,no,,",
    "interactions": "I9,A2,2026-11-20,call,U03,a new note",
    "participants": "I5,S3,1",
    "opportunities": "O9,A3,New deal,P1,Freight,5000,prospecting,2026-11-01,2027-02-01",
    "commitments": "C9,A3,ours,U03,A new promise,2026-12-01,open,",
    "plans": "A2,2026-06-01",
}

# (case, file, line, column, expected words, replacement for that line)
BAD_CASES: list[tuple[str, str, int, str | None, str, str | bytes]] = [
    ("bad number", "accounts", 7, "annual_revenue", "'12.5M' is not a number",
     "A6,Globex Manufacturing,U02,Manufacturing,12.5M,12,8000000,420000,600000,3,3,4,3,U02,"),
    ("bad date", "interactions", 7, "date", "'2026-02-30' is not a date",
     "I5,A1,2026-02-30,email,U02,there is no 30 February"),
    ("missing required column", "accounts", 1, "owner_id", "required column is missing",
     "id,name,industry,annual_revenue"),
    ("empty required value", "accounts", 3, "name", "a value is required",
     "A2,,U03,Retail,2650000.50,31,6000000,260000,550000,4,4,3,3,U03,"),
    ("influence out of range", "stakeholders", 3, "influence", "7 is out of range: allowed 1 to 5",
     "S2,A1,Priya Raman,VP Operations,Operations,,7,no,S3,champion"),
    ("influence not whole", "stakeholders", 3, "influence", "'4.5' is not a whole number",
     "S2,A1,Priya Raman,VP Operations,Operations,,4.5,no,S3,champion"),
    ("flag not yes/no", "stakeholders", 2, "is_executive", "'maybe' is not yes or no",
     "S1,A1,Dana Whitfield,CFO,Finance,budget,5,maybe,,"),
    ("sentiment out of range", "participants", 5, "sentiment", "3 is out of range: allowed -2 to 2", "I3,S4,3"),
    ("role not allowed", "users", 3, "role", "'boss' is not one of: rep, kam, manager, admin",
     "U03,Jordan Lee,boss,U01,"),
    ("authority not allowed", "stakeholders", 4, "authority", "'ceo' is not one of: budget, approver, veto, none",
     "S3,A1,Helen Brooks,COO,Operations,ceo,5,true,,"),
    ("side not allowed", "commitments", 2, "side", "'theirs' is not one of: ours, customer",
     "C1,A1,theirs,U02,Send Dana the ROI summary,2026-11-24,open,"),
    ("status not allowed", "commitments", 2, "status", "'pending' is not one of: open, done, cancelled",
     "C1,A1,ours,U02,Send Dana the ROI summary,2026-11-24,pending,"),
    ("stage not allowed", "opportunities", 2, "stage",
     "unknown stage 'won-ish': map it under [import.stages] in the rules file",
     "O1,A1,Nimbus renewal,P1,Plants,1200000,won-ish,2026-07-25,2027-01-01"),
    ("unknown owner", "accounts", 4, "owner_id", "unknown user 'U99'",
     "A3,Northwind Logistics,U99,Logistics,3400000,42,5200000,300000,700000,5,4,4,4,U03,"),
    ("unknown scorer", "accounts", 4, "scored_by", "unknown user 'U98'",
     "A3,Northwind Logistics,U03,Logistics,3400000,42,5200000,300000,700000,5,4,4,4,U98,"),
    ("unknown manager", "users", 2, "manager_id", "unknown user 'U99'", "U02,Sam Patel,kam,U99,USAM"),
    ("Slack id of another user in the file", "users", 3, "slack_user_id", "'usam' is also given to U02 (line 2)",
     "U03,Jordan Lee,Rep,U01,usam"),
    ("reporting cycle", "users", 4, "manager_id", "reporting cycle: U01 -> U02 -> U01",
     "U01,Grace Okafor,manager,U02,"),
    ("unknown account", "stakeholders", 5, "account_id", "unknown account 'A99'",
     "S4,A99,Nina Alvarez,Director of E-commerce,E-commerce,none,4,0,,champion"),
    ("unknown reports_to", "stakeholders", 5, "reports_to", "unknown stakeholder 'S99'",
     "S4,A2,Nina Alvarez,Director of E-commerce,E-commerce,none,4,0,S99,champion"),
    ("unknown author", "interactions", 5, "author_id", "unknown user 'U99'",
     "I3,A2,2026-11-13,meeting,U99,Escalation with Nina"),
    ("unknown stakeholder", "participants", 2, "stakeholder_id", "unknown stakeholder 'S99'", "I1,S99,-1"),
    ("unknown interaction", "participants", 2, "interaction_id", "unknown interaction 'I99'", "I99,S1,-1"),
    ("person of another account", "participants", 2, "stakeholder_id",
     "stakeholder 'S4' belongs to account A2, interaction 'I1' to account A1", "I1,S4,-1"),
    ("unknown product", "opportunities", 2, "product", "unknown product 'Quantum Widget'",
     "O1,A1,Nimbus renewal,Quantum Widget,Plants,1200000,negotiation,2026-07-25,2027-01-01"),
    ("duplicate id", "accounts", 5, "id", "duplicate id 'A2': already on line 3",
     "A2,Brightwater Foods,U02,,1350000,27,,,,,,,,,"),
    ("duplicate participant", "participants", 4, "stakeholder_id",
     "duplicate interaction_id I2 + stakeholder_id S1: already on line 3", "I2,S1,0"),
    ("non-UTF-8 byte", "stakeholders", 3, "name", "byte 0xe9 at character 4 is not valid UTF-8",
     "S2,A1,Jos\u00e9 Raman,VP Operations,Operations,,4,no,S3,champion".encode("latin-1")),
    ("too many values", "interactions", 5, None, "7 values but the header has 6 columns",
     "I3,A2,2026-11-13,meeting,U03,Escalation, with Nina"),
]


def write_book(directory: Path, files: dict[str, list[str | bytes]]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, lines in files.items():
        data = b"".join((line if isinstance(line, bytes) else line.encode("utf-8")) + b"\n" for line in lines)
        (directory / f"{name}.csv").write_bytes(data)
    return directory


def counts(db: Database) -> dict[str, int]:
    with db.session() as s:
        return {name: s.exec(select(func.count()).select_from(table)).one() for name, table in TABLES.items()}


def audit_count(db: Database) -> int:
    with db.session() as s:
        return s.exec(select(func.count()).select_from(AuditLog)).one()


def snapshot(db: Database) -> dict[str, list[str]]:
    """Every imported row, to prove that a failed import changed nothing."""
    with db.session() as s:
        return {name: sorted(repr(sorted(row.model_dump().items())) for row in s.exec(select(table)).all())
                for name, table in TABLES.items()}


def test_small_book_imports_with_types_defaults_and_references(db: Database, tmp_path: Path) -> None:
    report = import_dir(db, write_book(tmp_path / "csv", BASE), actor="tester", as_of=AS_OF)
    assert report.ok, [str(e) for e in report.errors]
    assert [f.file for f in report.files] == [f"{s.name}.csv" for s in FILES]
    assert report.totals()["created"] == sum(len(lines) - 1 for lines in BASE.values()) - 1  # I1 spans 2 lines
    with db.session() as s:
        assert s.get(User, "U02").manager_id == "U01"  # type: ignore[union-attr]
        assert s.get(User, "U03").role == "rep"  # type: ignore[union-attr]
        a2, a4 = s.get(Account, "A2"), s.get(Account, "A4")
        assert a2 is not None and a2.annual_revenue == 2_650_000.5
        assert a4 is not None and a4.industry is None and a4.wallet_estimate is None and a4.scored_by is None
        s2 = s.get(Stakeholder, "S2")
        assert s2 is not None and (s2.authority, s2.is_executive, s2.tag, s2.reports_to) == (
            "none", False, "champion", "S3")
        i1, i2, i4, i5 = (s.get(Interaction, i) for i in ("I1", "I2", "I4", "I5"))
        assert i1 is not None and i1.text == "Call with Dana.\nShe is worried about budget, and pricing."
        assert i2 is not None and i2.kind == "qbr"
        assert i4 is not None and (i4.kind, i4.author_id, i4.text) == ("meeting", None, "")
        assert i5 is not None and i5.date == dt.date(2026, 8, 1)
        assert s.get(Participant, ("I2", "S1")).sentiment == 1  # type: ignore[union-attr]
        assert s.get(Participant, ("I4", "S4")).sentiment is None  # type: ignore[union-attr]
        o2 = s.get(Opportunity, "O2")
        assert o2 is not None and (o2.product, o2.stage) == ("P2", "closed_won")  # product named by its name
        c2, c3 = s.get(Commitment, "C2"), s.get(Commitment, "C3")
        assert c2 is not None and (c2.status, c2.done) == ("done", dt.date(2026, 10, 30))
        assert c3 is not None and (c3.side, c3.status) == ("ours", "open")
        plans = s.exec(select(AccountPlan).order_by(AccountPlan.date)).all()
        assert [(p.account_id, p.date, p.markdown) for p in plans] == [
            ("A1", dt.date(2026, 1, 15), ""), ("A1", dt.date(2026, 4, 15), "")]
        audits = s.exec(select(AuditLog).where(AuditLog.entity == "participant")).all()
        assert {a.entity_id for a in audits} == {"I1/S1", "I2/S1", "I2/S3", "I3/S4", "I4/S4"}
        assert all(a.actor == "tester" and a.action == "create" for a in audits)
        plan_audit = s.exec(select(AuditLog).where(AuditLog.entity == "accountplan")).all()
        assert sorted(a.entity_id for a in plan_audit) == sorted(str(p.id) for p in plans)


def test_demo_csvs_imported_twice_change_nothing(db: Database, tmp_path: Path) -> None:
    directory = write_csvs(generate_portfolio(as_of=AS_OF), tmp_path / "demo")
    first = import_dir(db, directory, actor="tester")
    assert first.ok, [str(e) for e in first.errors][:5]
    after_first, audits_first = counts(db), audit_count(db)
    assert audits_first == first.totals()["created"] == sum(after_first.values())
    second = import_dir(db, directory, actor="tester")
    assert second.ok
    assert second.totals() == {"rows": first.totals()["rows"], "created": 0, "updated": 0,
                               "unchanged": first.totals()["rows"]}
    assert counts(db) == after_first
    assert audit_count(db) == audits_first


def test_changed_value_is_one_update_and_audited(db: Database, tmp_path: Path) -> None:
    assert import_dir(db, write_book(tmp_path / "v1", BASE), actor="tester").ok
    before = audit_count(db)
    changed = dict(BASE)
    changed["accounts"] = [line.replace("A3,Northwind Logistics,U03,Logistics,3400000,",
                                        "A3,Northwind Logistics,U03,Logistics,3500000,") for line in BASE["accounts"]]
    report = import_dir(db, write_book(tmp_path / "v2", changed), actor="second run")
    accounts = report.file("accounts")
    assert (accounts.created, accounts.updated, accounts.unchanged) == (0, 1, 5)
    assert report.totals()["updated"] == 1 and report.totals()["created"] == 0
    with db.session() as s:
        assert s.get(Account, "A3").annual_revenue == 3_500_000  # type: ignore[union-attr]
        new = s.exec(select(AuditLog).where(AuditLog.id > before)).all()  # type: ignore[operator]
    assert len(new) == 1
    assert (new[0].actor, new[0].action, new[0].entity, new[0].entity_id) == ("second run", "update", "account", "A3")
    assert new[0].detail["changes"] == {"annual_revenue": [3_400_000.0, 3_500_000.0]}
    assert new[0].detail["line"] == 4


def test_absent_optional_column_leaves_stored_values_alone(db: Database, tmp_path: Path) -> None:
    assert import_dir(db, write_book(tmp_path / "v1", BASE), actor="tester").ok
    only = {"accounts": ["id,name,owner_id", "A1,Acme Corp,U02", "A7,Newco,U03"]}
    report = import_dir(db, write_book(tmp_path / "v2", only), actor="tester")
    assert report.ok and [f.file for f in report.files] == ["accounts.csv"]
    assert (report.files[0].created, report.files[0].unchanged) == (1, 1)
    with db.session() as s:
        acme = s.get(Account, "A1")
        assert acme is not None and acme.industry == "Manufacturing" and acme.annual_revenue == 4_200_000
        assert s.get(Account, "A7").annual_revenue is None  # type: ignore[union-attr]


def test_references_resolve_against_the_store(db: Database, tmp_path: Path) -> None:
    assert import_dir(db, write_book(tmp_path / "v1", BASE), actor="tester").ok
    later = {"stakeholders": [BASE["stakeholders"][0], "S7,A3,Mei Tanaka,VP Warehousing,Warehousing,,4,no,S1,"],
             "participants": [BASE["participants"][0], "I3,S4,1"]}
    report = import_dir(db, write_book(tmp_path / "v2", later), actor="tester")
    assert report.ok, [str(e) for e in report.errors]
    assert (report.file("participants").updated, report.file("stakeholders").created) == (1, 1)


def test_every_bad_input_names_file_line_and_column_and_writes_nothing(db: Database, tmp_path: Path) -> None:
    """Each case breaks one line of one file (and adds a valid new row after it): the error names the
    file, the physical line and the column; that file writes nothing, not even its good rows; the files
    after it are checked but not written; the store is exactly as it was."""
    assert import_dir(db, write_book(tmp_path / "base", BASE), actor="tester").ok
    baseline, audits = snapshot(db), audit_count(db)
    problems: list[str] = []
    for n, (case, name, line, column, words, bad) in enumerate(BAD_CASES):
        files: dict[str, list[str | bytes]] = {k: list(v) for k, v in BASE.items()}
        files[name][line - 1] = bad
        if line > 1:
            files[name].append(NEW_ROW[name])
        report = import_dir(db, write_book(tmp_path / f"case{n}", files), actor="tester")
        file_report = report.file(name)
        shown = [str(e) for e in file_report.errors]
        prefix = f"{name}.csv:{line}: {column}: " if column else f"{name}.csv:{line}: "
        if not any(s.startswith(prefix) and words in s for s in shown):
            problems.append(f"{case}: expected {prefix}...{words}...; got {shown}")
        if report.ok or file_report.status != "failed" or file_report.created or file_report.updated:
            problems.append(f"{case}: {name}.csv was not refused: {file_report}")
        later = [f for f in report.files if [s.name for s in FILES].index(f.file[:-4]) >
                 [s.name for s in FILES].index(name)]
        if any(f.status != "skipped" or f.created or f.updated for f in later):
            problems.append(f"{case}: a file after {name}.csv was written: {later}")
        if snapshot(db) != baseline or audit_count(db) != audits:
            problems.append(f"{case}: the store changed")
            break
    assert not problems, "\n".join(problems)


def test_a_slack_id_another_stored_user_has_is_refused(db: Database, tmp_path: Path) -> None:
    assert import_dir(db, write_book(tmp_path / "base", BASE), actor="tester").ok
    baseline = snapshot(db)
    taken = {"users": ["id,name,role,manager_id,slack_user_id", "U09,New Person,rep,U01,USAM"]}
    report = import_dir(db, write_book(tmp_path / "taken", taken), actor="tester")
    assert [str(e) for e in report.file("users").errors] == [
        "users.csv:2: slack_user_id: Slack user id 'USAM' is also given to U02 (in the store)"]
    assert snapshot(db) == baseline
    moved = {"users": ["id,name,role,manager_id,slack_user_id", "U02,Sam Patel,kam,U01,",
                       "U09,New Person,rep,U01,USAM"]}
    assert import_dir(db, write_book(tmp_path / "moved", moved), actor="tester").ok  # handed over in one file


def test_all_errors_of_a_file_are_collected_and_capped(db: Database, tmp_path: Path) -> None:
    rows = ["id,name,owner_id"] + [f"A{i},Account {i},U{i}" for i in range(150)]
    report = import_dir(db, write_book(tmp_path / "many", {"accounts": rows}), actor="tester")
    accounts = report.file("accounts")
    assert accounts.error_count == 150 and len(accounts.errors) == 100 and accounts.more_errors == 50
    assert str(accounts.errors[0]) == "accounts.csv:2: owner_id: unknown user 'U0': not in users.csv nor in the store"
    assert counts(db)["accounts"] == 0


def test_unreadable_files_and_directories(db: Database, tmp_path: Path) -> None:
    with pytest.raises(ImportDirError, match="no such directory"):
        import_dir(db, tmp_path / "missing", actor="tester")
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.csv").write_text("a,b\n")
    with pytest.raises(ImportDirError, match="no import file found"):
        import_dir(db, tmp_path / "empty", actor="tester")
    book = write_book(tmp_path / "odd", {"users": [], "products": ["id,name", "P1,\x00Nimbus"]})
    (book / "README.csv").write_text("x\n")
    report = import_dir(db, book, actor="tester")
    assert report.ignored == ["readme.csv"]
    assert [str(e) for e in report.file("users").errors] == ["users.csv:1: the file is empty: expected a header row"]
    assert "NUL byte" in str(report.file("products").errors[0])


def test_a_large_file_imports_with_a_progress_bar(db: Database, tmp_path: Path) -> None:
    rows = ["id,name"] + [f"P{i:05d},Product {i}" for i in range(6000)]
    report = import_dir(db, write_book(tmp_path / "big", {"products": rows}), actor="tester", progress=True)
    assert report.ok and report.file("products").created == 6000
    with db.session() as s:
        assert s.get(Product, "P05999").name == "Product 5999"  # type: ignore[union-attr]


def test_warns_about_notes_dated_after_as_of(db: Database, tmp_path: Path) -> None:
    report = import_dir(db, write_book(tmp_path / "v1", BASE), actor="tester", as_of=dt.date(2026, 11, 15))
    assert report.ok and report.file("interactions").warnings == ["1 interaction(s) dated after 2026-11-15"]


def test_kam_import_cli(tmp_path: Path) -> None:
    runner = CliRunner()
    good = write_book(tmp_path / "good", BASE)
    result = runner.invoke(app, ["import", str(good), "--as-of", "2026-11-22"])
    assert result.exit_code == 0, result.output
    assert "accounts.csv" in result.stdout and "ok" in result.stdout
    again = runner.invoke(app, ["import", str(good), "--as-of", "2026-11-22"])
    assert again.exit_code == 0
    assert re.search(r"accounts\.csv\s*│\s*6\s*│\s*0\s*│\s*0\s*│\s*6\s*│\s*ok", again.stdout), again.stdout

    broken = {k: list(v) for k, v in BASE.items()}
    broken["accounts"][6] = BAD_CASES[0][5]  # type: ignore[call-overload]
    bad = runner.invoke(app, ["import", str(write_book(tmp_path / "bad", broken)), "--as-of", "2026-11-22"])
    assert bad.exit_code == 1
    assert "accounts.csv:7: annual_revenue: '12.5M' is not a number" in bad.stdout
    assert "error(s)" in bad.stderr

    missing = runner.invoke(app, ["import", str(tmp_path / "nowhere")])
    assert missing.exit_code == 1 and "no such directory" in missing.stderr
