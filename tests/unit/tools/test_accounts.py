"""Account references: ids, names, partial names and typos, only within what the user may see."""

from __future__ import annotations

import pytest
from scoring_seed import account, ctx_for, users

from store.db import Database
from store.models import Account
from tools.accounts import resolve_account, visible_account_ids
from tools.errors import Ambiguous, NotFound, ToolError


def _seed(db: Database) -> None:
    with db.write() as s:
        users(s)
        account(s, "ACC-1", "Acme Corp", owner="U1")
        account(s, "ACC-2", "Acme Holdings", owner="U1")
        account(s, "ACC-3", "Halcyon Retail Group", owner="U1")
        account(s, "ACC-4", "Globex", owner="U2")
        account(s, "ACC-5", "Secret Dynamics", owner="U3")
        account(s, "ACC-6", "Nordic Rehalcyon", owner="U2")


def _resolve(db: Database, user: str, ref: str) -> Account:
    with db.session() as s:
        return resolve_account(ctx_for(s, user), ref)


def test_ids_exact_names_and_partial_names(db: Database) -> None:
    _seed(db)
    assert _resolve(db, "U1", "acc-1").id == "ACC-1"  # id, any case
    assert _resolve(db, "U1", "ACME CORP").id == "ACC-1"  # exact name, any case
    assert _resolve(db, "U1", "  acme   corp ").id == "ACC-1"  # spacing does not matter
    assert _resolve(db, "U1", "Halcyon").id == "ACC-3"  # unique partial name
    assert _resolve(db, "U1", "holdings").id == "ACC-2"


def test_a_word_start_beats_a_match_inside_a_word(sqlite_db: Database) -> None:
    _seed(sqlite_db)
    # the manager sees both "Halcyon Retail Group" and "Nordic Rehalcyon": the word start wins
    assert _resolve(sqlite_db, "M1", "halcyon").id == "ACC-3"


def test_several_equally_good_matches_are_ambiguous(db: Database) -> None:
    _seed(db)
    with pytest.raises(Ambiguous) as info:
        _resolve(db, "U1", "Acme")
    assert info.value.suggestions == ["Acme Corp", "Acme Holdings"]
    assert info.value.message == "'Acme' matches several accounts: Acme Corp, Acme Holdings; which one?"
    assert info.value.code == "ambiguous"


def test_same_names_are_told_apart_by_id(sqlite_db: Database) -> None:
    _seed(sqlite_db)
    with sqlite_db.write() as s:
        account(s, "ACC-7", "Globex", owner="U1")
    with pytest.raises(Ambiguous) as info:
        _resolve(sqlite_db, "M1", "globex")
    assert info.value.suggestions == ["Globex (ACC-4)", "Globex (ACC-7)"]
    assert _resolve(sqlite_db, "M1", "acc-7").id == "ACC-7"


def test_a_typo_gets_the_nearest_names(db: Database) -> None:
    _seed(db)
    with pytest.raises(NotFound) as info:
        _resolve(db, "U1", "Acmee")
    assert info.value.suggestions[0] in {"Acme Corp", "Acme Holdings"}
    assert info.value.message.startswith("no account named 'Acmee'; did you mean: Acme")
    with pytest.raises(NotFound) as info:
        _resolve(db, "U1", "Halcyn Retail")
    assert info.value.suggestions[0] == "Halcyon Retail Group"


def test_nothing_near_gives_a_plain_not_found(sqlite_db: Database) -> None:
    _seed(sqlite_db)
    with pytest.raises(NotFound) as info:
        _resolve(sqlite_db, "U1", "zzzz")
    assert info.value.message == "no account named 'zzzz'"
    assert info.value.suggestions == []
    with pytest.raises(ToolError, match="which account"):
        _resolve(sqlite_db, "U1", "   ")


def test_an_account_out_of_scope_looks_exactly_like_a_missing_one(db: Database) -> None:
    _seed(db)
    errors = {}
    for ref in ("Secret Dynamics", "secret", "ACC-5", "Secret Dynamix"):
        with pytest.raises(NotFound) as info:
            _resolve(db, "U1", ref)
        errors[ref] = (info.value.message, info.value.suggestions)
        assert "Secret" not in " ".join(info.value.suggestions)
    with db.write() as s:
        s.delete(s.get(Account, "ACC-5"))
    for ref, seen in errors.items():
        with pytest.raises(NotFound) as info:
            _resolve(db, "U1", ref)
        assert (info.value.message, info.value.suggestions) == seen


def test_managers_see_their_reports_and_admins_see_all(db: Database) -> None:
    _seed(db)
    assert _resolve(db, "M1", "globex").id == "ACC-4"  # U2 reports to M1
    with pytest.raises(NotFound):
        _resolve(db, "M1", "Secret Dynamics")  # U3 does not
    assert _resolve(db, "ADM", "secret dynamics").id == "ACC-5"
    with db.session() as s:
        assert visible_account_ids(ctx_for(s, "U1"), "mine") == ["ACC-1", "ACC-2", "ACC-3"]
        assert visible_account_ids(ctx_for(s, "M1"), "team") == ["ACC-1", "ACC-2", "ACC-3", "ACC-4", "ACC-6"]
        assert visible_account_ids(ctx_for(s, "M1"), "mine") == []
        assert len(visible_account_ids(ctx_for(s, "ADM"), "all")) == 6
        with pytest.raises(ToolError, match="unknown scope 'everything'"):
            visible_account_ids(ctx_for(s, "U1"), "everything")
