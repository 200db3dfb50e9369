"""The App Home tab: one view per user, published (``views.publish``) each time they open it.

What a KAM wants before a meeting, from the same tools every face runs (``tools.runner.run_tool``):

- their matrix as an image (the PNG the matrix answer uploads, shared as a private file and shown by an image
  block pointing at it), with the quadrant counts;
- their overdue and due-soon commitments, each with Done / Snooze (the same action ids as in a thread, so a
  click goes through the same listener and use-case runner; the home is then published again);
- for a manager (or an admin), the team's drifting accounts, worst first.

A view holds at most 100 blocks; the lists are cut with "and N more" and the way to see them all.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import threading
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from integrations.runtime import Runtime
from integrations.slack.blocks import commitment_blocks, context, divider, header, section
from integrations.slack.matrix_png import matrix_png
from store.models import User
from tools.commitments import CommitmentList, list_commitments
from tools.drift import DriftResult, find_drifting_accounts
from tools.escape import slack_text
from tools.matrix import MatrixResult, show_matrix
from tools.rules import Rules, quadrant_label
from tools.runner import run_tool
from tools.wording import plural

log = logging.getLogger("kam.slack")

MAX_VIEW_BLOCKS = 100
MAX_DRIFT_SHOWN = 8
_MANAGERS = ("manager", "admin")


class MatrixImages:
    """The matrix PNGs uploaded for home views, by what they show: an unchanged matrix is neither drawn nor
    uploaded again."""

    def __init__(self) -> None:
        self._files: dict[str, str] = {}
        self._lock = threading.Lock()

    def file_id(self, client: WebClient, result: MatrixResult, title: str, rules: Rules) -> str | None:
        shown = json.dumps([title, result.as_json(), rules.labels.quadrants], sort_keys=True, default=str)
        digest = hashlib.sha256(shown.encode()).hexdigest()
        with self._lock:
            known = self._files.get(digest)
        if known:
            return known
        png = matrix_png(result.as_json(), title=title, rules=rules)
        try:
            response = client.files_upload_v2(file=png, filename="kam-matrix.png", title=title)
        except SlackApiError as exc:
            log.warning("home matrix upload failed: %s", exc.response.get("error"))
            return None
        uploaded = response.get("file") or (response.get("files") or [{}])[0]
        file_id = uploaded.get("id") if isinstance(uploaded, dict) else None
        if file_id:
            with self._lock:
                self._files[digest] = str(file_id)
        return str(file_id) if file_id else None


def home_view(runtime: Runtime, user: User, as_of: dt.date, *, client: WebClient | None = None,
              images: MatrixImages | None = None, notice: str | None = None) -> dict[str, Any]:
    """The home view of ``user`` on ``as_of``; with ``client`` the matrix PNG is uploaded and shown."""
    blocks: list[dict[str, Any]] = [header(f"Your key accounts, {as_of.isoformat()}")]
    if notice:
        blocks.append(context(notice))
    matrix, result = _matrix_blocks(runtime, user, as_of, client, images)
    blocks += matrix + _commitment_part(runtime, user, as_of)
    if user.role in _MANAGERS:
        blocks += _drift_part(runtime, user, as_of)
    blocks.append(context(f"Ask me anything in the Messages tab, e.g. _{slack_text(_example(user, result))}_."))
    return {"type": "home", "callback_id": "kam_home", "blocks": _fit(blocks)}


def publish_home(runtime: Runtime, client: WebClient, slack_user: str, user: User, as_of: dt.date, *,
                 images: MatrixImages | None = None, notice: str | None = None) -> bool:
    """Publish the home view of ``user`` to ``slack_user``; ``False`` when Slack refused it."""
    view = home_view(runtime, user, as_of, client=client, images=images, notice=notice)
    try:
        client.views_publish(user_id=slack_user, view=view)
    except SlackApiError as exc:
        log.warning("views.publish for %s failed: %s", slack_user, exc.response.get("error"))
        return False
    return True


def _matrix_blocks(runtime: Runtime, user: User, as_of: dt.date, client: WebClient | None,
                   images: MatrixImages | None) -> tuple[list[dict[str, Any]], MatrixResult | None]:
    scope = "team" if user.role in _MANAGERS else "mine"
    call = run_tool(runtime, user, show_matrix, {"scope": scope}, as_of=as_of)
    result = call.result
    if not isinstance(result, MatrixResult) or not result.accounts:
        return [section("No accounts in your book yet.")], None
    counts = ", ".join(f"{quadrant_label(q, runtime.rules)} {n}" for q, n in result.counts.items() if n)
    blocks = [section(f"*{'Your team’s matrix' if scope == 'team' else 'Your matrix'}*: "
                      f"{plural(len(result.accounts), 'account')}; {slack_text(counts)}")]
    if client is not None:
        title = f"KAM matrix ({scope}, as of {as_of.isoformat()})"
        file_id = (images or MatrixImages()).file_id(client, result, title, runtime.rules)
        if file_id:
            alt = f"KAM matrix of {plural(len(result.accounts), 'account')}, bubble size by revenue"
            blocks.append({"type": "image", "slack_file": {"id": file_id}, "alt_text": alt})
    return blocks, result


def _commitment_part(runtime: Runtime, user: User, as_of: dt.date) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    counts: dict[str, int] = {}
    for status in ("overdue", "due_soon"):
        call = run_tool(runtime, user, list_commitments, {"scope": "mine", "status": status}, as_of=as_of)
        found = call.result.commitments if isinstance(call.result, CommitmentList) else []
        counts[status] = len(found)
        items += [c.model_dump(mode="json") for c in found]
    blocks = [divider(), header("Commitments to act on")]
    if not items:
        return blocks + [section("Nothing overdue or due soon. :tada:")]
    blocks.append(section(f"*{counts['overdue']} overdue*, *{counts['due_soon']} due soon*; oldest first."))
    return blocks + commitment_blocks(items)


def _drift_part(runtime: Runtime, user: User, as_of: dt.date) -> list[dict[str, Any]]:
    call = run_tool(runtime, user, find_drifting_accounts, {"scope": "team"}, as_of=as_of)
    result = call.result
    blocks = [divider(), header("Drifting accounts (your team)")]
    if not isinstance(result, DriftResult) or not result.accounts:
        return blocks + [section("No account in your team is drifting.")]
    for a in result.accounts[:MAX_DRIFT_SHOWN]:
        reason = a.reasons[0].detail if a.reasons else ""
        blocks.append(section(f"*{slack_text(a.name)}* ({slack_text(a.id)}), owner "
                              f"{slack_text(a.owner_name or a.owner_id)}\n{slack_text(reason)}"))
    more = len(result.accounts) - MAX_DRIFT_SHOWN
    if more > 0:
        blocks.append(context(f"… and {more} more of {len(result.accounts)}: ask me _which accounts are drifting "
                              "across the team?_ or open /ui/drift."))
    return blocks


def _example(user: User, matrix: MatrixResult | None) -> str:
    """Something worth asking: for a manager the team's dark contacts, for a KAM their biggest account's QBR."""
    if user.role in _MANAGERS:
        return "any key contacts gone dark across the team?"
    if matrix is None or not matrix.accounts:
        return "what's overdue for me?"
    return f"prep my QBR for {max(matrix.accounts, key=lambda a: a.annual_revenue or 0).name}"


def _fit(blocks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """At most ``MAX_VIEW_BLOCKS`` blocks (Slack refuses more), the cut said in the last one."""
    if len(blocks) <= MAX_VIEW_BLOCKS:
        return blocks
    return blocks[:MAX_VIEW_BLOCKS - 1] + [context("… the rest did not fit here: ask me in the Messages tab.")]
