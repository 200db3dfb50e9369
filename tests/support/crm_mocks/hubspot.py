"""A HubSpot CRM API on loopback: v3 object search (filter on the last-modified date, ``after`` paging),
v3 object create and update, v4 association batch reads, and v3 owners; a private app's bearer token."""

from __future__ import annotations

import datetime as dt
import itertools
import re
from typing import Any

from crm_mocks.server import MockCrm, Reply

_MODIFIED = {"contacts": "lastmodifieddate"}


def _ts(value: str) -> dt.datetime:
    if value.isdigit():
        return dt.datetime.fromtimestamp(int(value) / 1000, dt.UTC)
    return dt.datetime.fromisoformat(value)


class HubSpotMock(MockCrm):
    def __init__(self, token: str, *, page_size: int = 2) -> None:
        super().__init__()
        self.token = token
        self.page_size = page_size
        self.objects: dict[str, dict[str, dict[str, str]]] = {}
        self.associations: dict[tuple[str, str], dict[str, list[str]]] = {}
        self.owners: list[dict[str, Any]] = []
        self._ids = itertools.count(1)
        self.clock = dt.datetime(2026, 11, 20, 12, 0, tzinfo=dt.UTC)

    def _tick(self) -> str:
        self.clock += dt.timedelta(seconds=1)
        return self.clock.isoformat().replace("+00:00", "Z")

    def add(self, kind: str, record_id: str, **properties: str) -> dict[str, str]:
        """Store (or replace) a record, stamped with the mock's clock."""
        properties[_MODIFIED.get(kind, "hs_lastmodifieddate")] = self._tick()
        properties["hs_object_id"] = record_id
        self.objects.setdefault(kind, {})[record_id] = properties
        return properties

    def associate(self, kind: str, record_id: str, to: str, *ids: str) -> None:
        self.associations.setdefault((kind, to), {}).setdefault(record_id, []).extend(ids)

    def handle(self, method: str, path: str, query: dict[str, list[str]], body: Any,
               headers: dict[str, str]) -> Reply:
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, {}, {"status": "error", "message": "Authentication credentials not found.",
                             "category": "INVALID_AUTHENTICATION"}
        if method == "GET" and path.rstrip("/") == "/crm/v3/owners":
            return 200, {}, {"results": self.owners}
        if method == "POST" and (m := re.fullmatch(r"/crm/v3/objects/(\w+)/search", path)):
            return self._search(m[1], body)
        if method == "POST" and (m := re.fullmatch(r"/crm/v4/associations/(\w+)/(\w+)/batch/read", path)):
            links = self.associations.get((m[1], m[2]), {})
            results = [{"from": {"id": i["id"]}, "to": [
                {"toObjectId": int(t), "associationTypes": [{"category": "HUBSPOT_DEFINED", "typeId": 1,
                                                              "label": None}]} for t in links[i["id"]]]}
                for i in body["inputs"] if links.get(i["id"])]
            now = self._tick()
            return 200, {}, {"status": "COMPLETE", "results": results, "startedAt": now, "completedAt": now}
        if method == "POST" and (m := re.fullmatch(r"/crm/v3/objects/(\w+)", path)):
            record_id = str(900000 + next(self._ids))
            self.add(m[1], record_id, **body.get("properties", {}))
            for association in body.get("associations") or []:
                to = {190: "companies", 192: "companies", 202: "contacts", 204: "contacts"}[
                    association["types"][0]["associationTypeId"]]
                self.associate(m[1], record_id, to, str(association["to"]["id"]))
            return 201, {}, self._object(m[1], record_id, None)
        if method == "PATCH" and (m := re.fullmatch(r"/crm/v3/objects/(\w+)/(\w+)", path)):
            record = self.objects.get(m[1], {}).get(m[2])
            if record is None:
                return 404, {}, {"status": "error", "message": "resource not found", "category": "OBJECT_NOT_FOUND"}
            self.add(m[1], m[2], **{**record, **body.get("properties", {})})
            return 200, {}, self._object(m[1], m[2], None)
        return 404, {}, {"status": "error", "message": f"no route {method} {path}", "category": "NOT_FOUND"}

    def _object(self, kind: str, record_id: str, properties: list[str] | None) -> dict[str, Any]:
        record = self.objects[kind][record_id]
        shown = record if properties is None else {p: record[p] for p in properties if p in record}
        modified = record[_MODIFIED.get(kind, "hs_lastmodifieddate")]
        return {"id": record_id, "properties": {**shown, "hs_object_id": record_id}, "createdAt": modified,
                "updatedAt": modified, "archived": False}

    def _search(self, kind: str, body: dict[str, Any]) -> Reply:
        modified = _MODIFIED.get(kind, "hs_lastmodifieddate")
        rows = list(self.objects.get(kind, {}).values())
        for group in body.get("filterGroups") or []:
            for f in group["filters"]:
                if f["propertyName"] != modified or f["operator"] != "GTE":
                    return 400, {}, {"status": "error", "message": "unsupported filter", "category": "VALIDATION_ERROR"}
                rows = [r for r in rows if _ts(r[modified]) >= _ts(f["value"])]
        rows.sort(key=lambda r: (r[modified], r["hs_object_id"]))
        offset = int(body.get("after") or 0)
        limit = min(int(body.get("limit") or 10), self.page_size)
        page = rows[offset: offset + limit]
        reply: dict[str, Any] = {"total": len(rows), "results": [
            self._object(kind, r["hs_object_id"], [*body.get("properties", []), modified]) for r in page]}
        if offset + limit < len(rows):
            reply["paging"] = {"next": {"after": str(offset + limit), "link": "?after=" + str(offset + limit)}}
        return 200, {}, reply
