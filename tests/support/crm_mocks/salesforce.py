"""A Salesforce REST API on loopback (HTTPS): SOQL ``query`` with ``nextRecordsUrl`` paging, ``describe``,
sObject create (POST) and update (PATCH), and the ``Sforce-Limit-Info`` header on every answer.

Only the SOQL the sync writes is understood: ``SELECT f1, f2 FROM Obj [WHERE SystemModstamp >= T]
ORDER BY SystemModstamp, Id``; anything else is a 400 ``MALFORMED_QUERY`` as Salesforce would answer.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

from crm_mocks.server import MockCrm, Reply

VERSION = "59.0"
_SOQL = re.compile(r"^SELECT (?P<fields>[\w, ]+) FROM (?P<obj>\w+)(?: WHERE SystemModstamp >= (?P<since>\S+))?"
                   r" ORDER BY SystemModstamp, Id$")
_PREFIX = {"Task": "00T", "Event": "00U"}


def stamp(day: str) -> str:
    """A SystemModstamp as Salesforce writes it, from ``2026-11-02T08:00:00``."""
    return f"{day}.000+0000"


def _when(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text.replace("+0000", "+00:00"))


class SalesforceMock(MockCrm):
    def __init__(self, token: str, *, page_size: int = 2, api_total: int = 15000) -> None:
        super().__init__()
        self.token = token
        self.page_size = page_size
        self.api_used, self.api_total = 0, api_total
        self.objects: dict[str, dict[str, dict[str, Any]]] = {}
        self.schema: dict[str, set[str]] = {}
        self._cursors: dict[str, list[dict[str, Any]]] = {}
        self._ids = itertools.count(1)
        self.clock = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)

    def add(self, obj: str, **fields: Any) -> dict[str, Any]:
        """Store (or replace) a record; ``SystemModstamp`` defaults to the mock's clock, ticking."""
        fields.setdefault("SystemModstamp", self._tick())
        self.objects.setdefault(obj, {})[fields["Id"]] = fields
        self.schema.setdefault(obj, set()).update(fields)
        return fields

    def _tick(self) -> str:
        self.clock += dt.timedelta(seconds=1)
        return self.clock.strftime("%Y-%m-%dT%H:%M:%S.000+0000")

    def handle(self, method: str, path: str, query: dict[str, list[str]], body: Any,
               headers: dict[str, str]) -> Reply:
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {}, [{"message": "Session expired or invalid", "errorCode": "INVALID_SESSION_ID"}]
        self.api_used += 1
        limits = {"Sforce-Limit-Info": f"api-usage={self.api_used}/{self.api_total}"}
        base = f"/services/data/v{VERSION}"
        if method == "GET" and path == f"{base}/query/":
            return self._query(query["q"][0], limits)
        if method == "GET" and path.startswith(f"{base}/query/"):
            return self._page(path.rsplit("/", 1)[1], limits)
        if match := re.fullmatch(rf"{base}/sobjects/(\w+)/describe/?", path):
            fields = sorted(self.schema.get(match[1], set()) | {"Id", "SystemModstamp"})
            return 200, limits, {"name": match[1], "fields": [{"name": f} for f in fields]}
        if method == "POST" and (match := re.fullmatch(rf"{base}/sobjects/(\w+)/?", path)):
            record_id = f"{_PREFIX.get(match[1], '001')}MOCK{next(self._ids):011d}"
            self.add(match[1], Id=record_id, **body)
            return 201, limits, {"id": record_id, "success": True, "errors": []}
        if method == "PATCH" and (match := re.fullmatch(rf"{base}/sobjects/(\w+)/(\w+)", path)):
            record = self.objects.get(match[1], {}).get(match[2])
            if record is None:
                return 404, limits, [{"message": "entity is deleted", "errorCode": "ENTITY_IS_DELETED"}]
            self.add(match[1], **{**record, **body, "SystemModstamp": self._tick()})
            return 204, limits, None
        return 404, limits, [{"message": f"no route {method} {path}", "errorCode": "NOT_FOUND"}]

    def _query(self, soql: str, limits: dict[str, str]) -> Reply:
        match = _SOQL.match(soql)
        if match is None:
            return 400, limits, [{"message": f"unexpected SOQL: {soql}", "errorCode": "MALFORMED_QUERY"}]
        fields = [f.strip() for f in match["fields"].split(",")]
        unknown = [f for f in fields if f not in self.schema.get(match["obj"], set()) | {"Id", "SystemModstamp"}]
        if unknown:
            return 400, limits, [{"message": f"No such column '{unknown[0]}'", "errorCode": "INVALID_FIELD"}]
        since = _when(match["since"]) if match["since"] else None
        rows = sorted(self.objects.get(match["obj"], {}).values(), key=lambda r: (r["SystemModstamp"], r["Id"]))
        rows = [r for r in rows if since is None or _when(r["SystemModstamp"]) >= since]
        selected = [{"attributes": {"type": match["obj"], "url": f"/services/data/v{VERSION}/sobjects/"
                                    f"{match['obj']}/{r['Id']}"}, **{f: r.get(f) for f in fields}} for r in rows]
        cursor = f"01gMOCK{next(self._ids):08d}"
        self._cursors[cursor] = selected
        return self._page(f"{cursor}-0", limits, total=len(selected))

    def _page(self, locator: str, limits: dict[str, str], total: int | None = None) -> Reply:
        cursor, _, offset_text = locator.rpartition("-")
        rows, offset = self._cursors.get(cursor), int(offset_text)
        if rows is None:
            return 400, limits, [{"message": "invalid query locator", "errorCode": "INVALID_QUERY_LOCATOR"}]
        end = offset + self.page_size
        reply: dict[str, Any] = {"totalSize": total if total is not None else len(rows), "done": end >= len(rows),
                                 "records": rows[offset:end]}
        if end < len(rows):
            reply["nextRecordsUrl"] = f"/services/data/v{VERSION}/query/{cursor}-{end}"
        return 200, limits, reply
