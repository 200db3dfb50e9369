"""A known account's first word carried on by words the account does not have is another company ("Summit
Marine" beside Summit Energy Co, "Keystone Peak Outfitters" beside Keystone Mutual Insurance): asked about, never
read as the account. Days, titles, acronyms and people after the word do not make another company."""

from __future__ import annotations

import pytest

from tests.unit.tools.test_note_participants import _read
from tools.notes.extract.organisations import name_goes_on, names_account


@pytest.mark.parametrize(("text", "company"), [
    ("Call with Summit Marine today, with their CFO Hans Ode. He is interested.", "Summit Marine"),
    ("Hey, quick one - intro coffee with Keystone Peak Outfitters on Thursday, Dominic Hale from ops.",
     "Keystone Peak Outfitters"),
])
def test_a_known_first_word_carried_on_is_another_company(text: str, company: str) -> None:
    assert _read(text) == (None, [f"I don't know {company} — which account, or should I leave it?"])


@pytest.mark.parametrize("text", [
    "Summit QBR - Laura Reid happy with the plan.",
    "Summit Fri - call with Laura Reid, all fine.",
    "Call with Summit Laura Reid wants the plan.",
    "Summit - call with Laura Reid, all fine.",
])
def test_days_acronyms_and_people_after_the_word_keep_the_account(text: str) -> None:
    assert _read(text)[0] == "A1"


def test_names_account() -> None:
    assert names_account("Summit Energy", "Summit Energy Co")
    assert names_account("Summit", "Summit Energy Co")
    assert not names_account("Summit Marine", "Summit Energy Co")
    assert name_goes_on("Summit Peak Outfitters met", 6, "Summit Energy Co") == "Peak Outfitters"
    assert name_goes_on("Summit Head of IT", 6, "Summit Energy Co") == ""


def test_an_abbreviated_word_of_the_accounts_name_is_still_the_account() -> None:
    from tools.notes.extract.organisations import names_account

    assert names_account("Redwood Cap Bank", "Redwood Capital Bank")
    assert not names_account("Redwood Marine", "Redwood Capital Bank")
