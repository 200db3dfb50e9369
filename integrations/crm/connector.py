"""What the sync needs from a CRM: its objects in pull order, pages of records from a watermark, and a
create-or-update for what we push back. ``salesforce.py`` and ``hubspot.py`` implement it over the
CRMs' own client libraries; ``sync.py`` drives either."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol

from urllib3.util.retry import Retry

from store.import_profiles import Profile


class CrmConfigError(ValueError):
    """The settings do not say how to reach the CRM."""


class CrmStop(RuntimeError):
    """The sync must stop here and resume later (an API limit reached or near, the CRM unreachable)."""


@dataclass(frozen=True)
class Step:
    """One CRM object, pulled in this order: its records read as the profile's ``file``."""

    object: str
    file: str
    link_kind: str | None = None  # remember pulled ids as this kind (account, stakeholder, user)


@dataclass
class Page:
    """Records keyed by the profile's source column names, and the modification stamp of the last one."""

    records: list[dict[str, Any]]
    watermark: str | None


@dataclass(frozen=True)
class PushItem:
    """A confirmed note or one of our commitments, as the CRM will hold it."""

    kind: str  # note | commitment
    local_id: str
    account_id: str
    subject: str
    body: str
    day: dt.date | None
    done: bool = False
    owner_id: str | None = None
    contact_ids: tuple[str, ...] = field(default_factory=tuple)

    def fingerprint(self) -> str:
        """Changes when anything we send changes: a re-run with the same fingerprint sends nothing."""
        data = json.dumps(asdict(self), default=str, sort_keys=True)
        return hashlib.sha256(data.encode()).hexdigest()[:32]


class Connector(Protocol):
    crm: str
    profile: Profile
    steps: tuple[Step, ...]

    def pull(self, step: Step, since: str | None) -> Iterator[Page]:
        """Pages of ``step``'s records modified at or after ``since`` (all of them when ``None``), oldest first."""
        ...

    def push(self, item: PushItem, external_id: str | None) -> str:
        """Create the CRM record of ``item`` (or update ``external_id``); returns the CRM id."""
        ...

    def close(self) -> None: ...


def retry_policy(retries: int) -> Retry:
    """urllib3's retry on 429 and 503, honouring ``Retry-After``; never on a read error (a POST may have
    been applied)."""
    return Retry(total=retries, connect=retries, read=0, status=retries, status_forcelist=(429, 503),
                 allowed_methods=None, respect_retry_after_header=True, backoff_factor=0.5, raise_on_status=False)


def text_value(value: Any) -> str:
    """A CRM field value as an import cell."""
    if value is None or isinstance(value, dict | list):
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def source_fields(profile: Profile, file: str) -> list[str]:
    """The source columns the profile reads from ``file`` (its columns and its ``keep_if`` filters) that can be
    API field names (no spaces)."""
    names: list[str] = []
    for feed in profile.feeds:
        if file.lower() not in (f.lower() for f in feed.files):
            continue
        for column in feed.columns:
            names += [part for alternative in column.alternatives for part in alternative if " " not in part]
        targets = {column.target for column in feed.columns}
        names += [c for c in feed.keep_if if c not in targets and " " not in c]  # e.g. a task's Status
    return list(dict.fromkeys(names))
