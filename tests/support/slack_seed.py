"""The agent test portfolio (``tests/agent_seed.py``) with Slack ids, plus commitments that exercise nudges."""

from __future__ import annotations

import datetime as dt

import agent_seed

from store.db import Database
from store.models import Commitment, User

AS_OF = agent_seed.AS_OF
SLACK_IDS = {"U01": "USMORGAN", "U02": "USPRIYA", "U03": "USSAM"}  # Ada Admin (U99) has no Slack id


def seed(db: Database) -> None:
    agent_seed.seed(db)
    day = dt.timedelta(days=1)
    with db.write() as s:
        for uid, slack_id in SLACK_IDS.items():
            user = s.get(User, uid)
            assert user is not None
            user.slack_user_id = slack_id
            s.add(user)
        s.add_all([
            Commitment(id="C003", account_id="A002", side="ours", owner_id="U02", description="Renewal quote",
                       due=AS_OF),
            Commitment(id="C004", account_id="A001", side="ours", owner_id="U02", description="Berlin pilot plan",
                       due=AS_OF - day, snoozed_until=AS_OF + 2 * day),
            Commitment(id="C005", account_id="A001", side="ours", owner_id="U02", description="Reference call",
                       due=AS_OF + 5 * day),
            Commitment(id="C006", account_id="A002", side="customer", owner_id=None,
                       description="Headcount plan from Nora", due=AS_OF - 2 * day),
            Commitment(id="C007", account_id="A003", side="ours", owner_id="U03", description="Site visit",
                       due=AS_OF - 4 * day, status="done", done=AS_OF - 5 * day),
        ])
