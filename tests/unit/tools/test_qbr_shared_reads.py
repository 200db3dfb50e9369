"""What a QBR brief reads once and shares: the sentiment peaks of the account's flags taken from the touches its
history already read give what their own read gives, on the demo portfolio, on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt

from sqlmodel import col, select

from evals.fixtures import DEMO_AS_OF, demo_csv_dir
from store.db import Database
from store.importer import import_dir
from store.models import Account
from tools.compute.history import AccountHistory
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
