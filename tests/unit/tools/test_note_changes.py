"""Departures and new titles in other words, and the account a note's heading names."""

from __future__ import annotations

import pytest

from tests.unit.agent.test_extraction import SUN, extract, people


@pytest.mark.parametrize(("text", "expected"), [
    ("Sam Ortiz no longer works there. Met Dana.", ("S2", "left_company", None)),
    ("Sam Ortiz took a job at a competitor. Met Dana.", ("S2", "left_company", None)),
    ("Sam Ortiz was made redundant. Met Dana.", ("S2", "left_company", None)),
    ("Tom Baker has been made CIO. Met Dana.", ("S4", "title_change", "CIO")),
    ("Tom Baker stepped into the CIO role. Met Dana.", ("S4", "title_change", "CIO")),
    ("Tom Baker's new title is Head of Infrastructure. Met Dana.", ("S4", "title_change", "Head of Infrastructure")),
    ("Tom Baker is actually VP Ops now, promoted in October. Met Dana.", ("S4", "title_change", "VP Ops")),
    ("Sam Ortiz has left Acme - Dana mentioned it. Met Dana.", ("S2", "left_company", None)),
    ("Met Dana. Tom Baker has taken on the role of Chief Operating Officer.", ("S4", "title_change",
                                                                              "Chief Operating Officer")),
    ("Met Dana. Title update: Tom Baker -> Chief Data Officer (was IT Director).", ("S4", "title_change",
                                                                                         "Chief Data Officer")),
])
def test_changes_in_other_words(text: str, expected: tuple[str, str, str | None]) -> None:
    result = extract(text)
    assert [(c.stakeholder_id, c.kind, c.new_title) for c in result.changes] == [expected]
    assert set(people(result)) == {"S1"}


def test_a_title_followed_by_role_is_a_job_not_its_holder() -> None:
    # "the CFO role" is not Dana (the CFO): only Tom takes part
    assert set(people(extract("Met Tom Baker. Tom stepped into the CFO role, he's keen."))) == {"S4"}


def test_a_departure_does_not_date_the_meeting() -> None:
    assert extract("Sam Ortiz was let go last week. Met Dana.", as_of=SUN).interaction_date(SUN) == SUN


def test_the_heading_names_the_account_when_others_are_named_too() -> None:
    result = extract("Acme - Dana says Sam Ortiz took a job at Beta Logistics.", account_id=None)
    assert result.account is not None and result.account.id == "A1"


def test_someone_promoted_who_is_then_described_took_part() -> None:
    result = extract("Tom Baker stepped into the CIO role. Quick chat, he's positive.")
    assert people(result) == {"S4": 1}
    assert people(extract("Sam Ortiz left last month; he was popular. Met Dana.")) == {"S1": 0}  # not for leavers


@pytest.mark.parametrize("text", ["Met Dana and Tom Baker. Tom left early for another meeting.",
                                  "Met Dana and Tom Baker, Tom left abruptly."])
def test_leaving_a_meeting_early_is_no_departure(text: str) -> None:
    assert extract(text).changes == []
    assert extract("Met Dana. Tom Baker left Globex last month.").changes != []  # leaving a company still is


def test_a_minutes_line_reports_a_change() -> None:
    result = extract("Acme - call Thursday\nDana: happy with the SSO progress\nSam Ortiz: left Acme\n"
                     "Tom Baker (joined late): now Head of Claims, neutral")
    assert sorted((c.stakeholder_id, c.kind, c.new_title) for c in result.changes) == [
        ("S2", "left_company", None), ("S4", "title_change", "Head of Claims")]
    assert "S2" not in people(result)
