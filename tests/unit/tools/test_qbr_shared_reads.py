"""What a QBR brief reads more cheaply, on SQLite and PostgreSQL: the sentiment peaks of the account's flags taken
from the touches its history already read give what their own read gives (on the demo portfolio), and notes match
words in any case without lowering every note once per word."""

from __future__ import annotations

import datetime as dt

from scoring_seed import AS_OF, account, users
from sqlalchemy import func, or_
from sqlmodel import col, select

from evals.fixtures import DEMO_AS_OF, demo_csv_dir
from store.db import Database
from store.importer import import_dir
from store.models import Account, Interaction
from tools.compute.evidence import text_for_like
from tools.compute.history import AccountHistory
from tools.compute.opportunities import COMPETITOR_WORDS, competitor_mentions
from tools.compute.stakeholder_flags import sentiment_peaks
from tools.rules import Rules


def test_sentiment_peaks_from_the_history_are_those_read_on_their_own(db: Database) -> None:
    import_dir(db, demo_csv_dir(), actor="test", as_of=DEMO_AS_OF, progress=False)
    rules = Rules()
    found = 0
    with db.session() as s:
        ids = list(s.exec(select(Account.id).order_by(col(Account.id))).all())
        for aid in ids:
            history = AccountHistory.load(s, aid, DEMO_AS_OF)
            for back in (0, 30, 120):
                day = DEMO_AS_OF - dt.timedelta(days=back)
                engagement = [history.engagement_on(day, rules)]
                read = sentiment_peaks(s, engagement, rules)
                assert sentiment_peaks(s, engagement, rules, touches=history.touches) == read, (aid, day)
                found += len(read)
    assert found >= 10  # the demo's people have earlier, higher sentiments to compare with


def test_notes_match_words_in_any_case_as_lowering_them_did(db: Database) -> None:
    bodies = ["A COMPETITOR called.", "Their Incumbent is strong.", "RFP next month; Tender too.",
              "Ärger über die Konkurrenz: cheaper offer from a rival.", "Nothing of note.", "Price is 20% LESS.",
              "Évaluating options (EVALUATING).", "switch TO them?"]
    with db.write() as s:
        users(s)
        account(s, "A1", "Acme Corp", owner="U1")
        for n, body in enumerate(bodies):
            s.add(Interaction(id=f"N{n}", account_id="A1", date=AS_OF - dt.timedelta(days=n), text=body))
    with db.session() as s:
        lowered = func.lower(Interaction.text)
        expected = list(s.exec(select(Interaction.id).where(or_(*[lowered.like(f"%{w}%") for w in COMPETITOR_WORDS]))
                               .order_by(col(Interaction.date).desc())).all())
        matched = list(s.exec(select(Interaction.id).where(or_(*[text_for_like(s).like(f"%{w}%")
                                                                 for w in COMPETITOR_WORDS]))
                              .order_by(col(Interaction.date).desc())).all())
        found = [m.interaction_id for m in competitor_mentions(s, "A1", AS_OF)]
    assert matched == expected == found == ["N0", "N1", "N2", "N3", "N5", "N6", "N7"]
