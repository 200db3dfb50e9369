"""The web page in a real headless Chromium (Debian's ``chromium``, driven by Playwright) against ``kam serve``'s
app on loopback with the demo book: sign-in, the matrix chart and table, an account, drift, commitments with
their buttons, sign-out, and the API docs, all with no request leaving the machine and no console error.

Screenshots go to ``$KAM_SCREENSHOT_DIR`` (default ``tests/artifacts/screenshots``, git-ignored).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from repo import ROOT
from rich.console import Console

from integrations.demo_run import prepare_demo_dir, run_demo
from integrations.http.app import create_app
from integrations.http.tokens import issue_token
from integrations.runtime import Runtime
from store.settings import Settings

AS_OF = dt.date(2026, 11, 22)
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SHOTS = Path(os.environ.get("KAM_SCREENSHOT_DIR") or ROOT / "tests" / "artifacts" / "screenshots")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI needs Debian's chromium at {CHROMIUM} (.ci/run installs it)")
    pytest.skip("no chromium on this machine (apt-get install chromium)", allow_module_level=True)

from playwright.sync_api import Browser, ConsoleMessage, Page, Request, sync_playwright  # noqa: E402


@dataclass
class Served:
    url: str
    runtime: Runtime
    tokens: dict[str, str]


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    with pytest.MonkeyPatch.context() as mp:
        for key in list(os.environ):
            if key.startswith("KAM_") and key != "KAM_TEST_DATABASE_URL":
                mp.delenv(key)
        data_dir = prepare_demo_dir(tmp_path_factory.mktemp("web") / "demo")
        runtime = Runtime.build(Settings(data_dir=data_dir, env="test"))
    run_demo(runtime, AS_OF, Console(file=io.StringIO()))
    tokens = {uid: issue_token(runtime.db, uid) for uid in ("U01", "U02", "U03")}
    server = uvicorn.Server(uvicorn.Config(create_app(runtime, with_slack=False), host="127.0.0.1", port=0,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    port = server.servers[0].sockets[0].getsockname()[1]
    yield Served(f"http://127.0.0.1:{port}", runtime, tokens)
    server.should_exit = True
    thread.join(timeout=10)
    runtime.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    SHOTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield chromium
        chromium.close()


@dataclass
class Watch:
    errors: list[str] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)
    expected: list[int] = field(default_factory=list)  # statuses a test provokes on purpose (Chromium logs them)
    errors_allowed: list[str] = field(default_factory=list)

    def unexpected(self) -> list[str]:
        allowed = [f"status of {s} " for s in self.expected] + self.errors_allowed
        return [e for e in self.errors if not any(a in e for a in allowed)]


@pytest.fixture
def page(browser: Browser, served: Served) -> Iterator[tuple[Page, Watch]]:
    """A fresh browser context; any request to another host is refused and noted, console errors are noted."""
    context = browser.new_context(viewport={"width": 1360, "height": 1000})
    watch = Watch()

    def route(r: Any) -> None:
        if urlsplit(r.request.url).hostname in ("127.0.0.1", None) or r.request.url.startswith("data:"):
            r.continue_()
        else:
            watch.outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    p = context.new_page()
    p.on("console", lambda m: watch.errors.append(m.text) if _is_error(m) else None)
    p.on("pageerror", lambda e: watch.errors.append(str(e)))
    yield p, watch
    context.close()
    assert not watch.outside, watch.outside
    assert not watch.unexpected(), watch.errors


def _is_error(message: ConsoleMessage) -> bool:
    return message.type == "error"


def _overlapping(boxes: list[list[float]]) -> list[tuple[list[float], list[float]]]:
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:]
            if a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]]


def _shot(p: Page, name: str) -> None:
    p.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _sign_in(p: Page, served: Served, user: str, next_path: str = "/ui/") -> None:
    p.goto(f"{served.url}{next_path}")
    assert "/ui/login" in p.url  # no session: every page sends you to sign in
    p.fill("#token", served.tokens[user])
    p.click("button[type=submit]")
    p.wait_for_load_state()


def test_sign_in_and_the_matrix(page: tuple[Page, Watch], served: Served) -> None:
    p, watch = page
    watch.expected.append(401)  # the refused sign-in
    p.goto(f"{served.url}/ui/accounts/A001?as_of={AS_OF}")
    assert "/ui/login" in p.url
    p.fill("#token", "kam_not-a-token")
    p.click("button[type=submit]")
    assert p.locator(".error").inner_text().startswith("That token is unknown")
    _shot(p, "01-login-refused")
    cookie = next(c for c in p.context.cookies() if c["name"] == "kam_ui")
    assert cookie["httpOnly"] and cookie["sameSite"] == "Strict"

    p.goto(f"{served.url}/ui/?as_of={AS_OF}")
    p.fill("#token", served.tokens["U02"])
    p.click("button[type=submit]")
    p.wait_for_selector("#matrix-chart svg circle.bubble")
    assert p.url.endswith(f"/ui/?as_of={AS_OF}")
    rows = p.locator("#matrix-table tbody tr")
    chart = p.locator("#matrix-chart")
    placed = [r for r in rows.all_inner_texts() if "Unscored" not in r]
    assert rows.count() == 10 and int(chart.get_attribute("data-points")) == len(placed)
    assert p.locator("circle.bubble").count() == len(placed)
    radii = sorted(float(r) for r in p.locator("circle.bubble").evaluate_all("cs => cs.map(c => c.getAttribute('r'))"))
    assert radii[-1] > 2 * radii[0]  # bubble size follows revenue
    boxes = p.locator("text.label").evaluate_all(
        "ts => ts.map(t => { const b = t.getBBox(); return [b.x, b.y, b.width, b.height]; })")
    assert len(boxes) == len(placed)  # a book of 10: every name fits
    assert not _overlapping(boxes)
    assert p.locator(".warnings li").count() >= 1 or "warnings" not in p.content()

    p.locator('circle.bubble[data-id="A001"]').hover()
    tip = p.locator(".tooltip")
    assert tip.is_visible() and "Acme Corp" in tip.inner_text() and "attractiveness 4.80" in tip.inner_text()
    _shot(p, "02-matrix")

    revenue = p.locator("#matrix-table th", has_text="Revenue")
    revenue.click()
    revenue.click()  # descending
    shown = p.locator("#matrix-table tbody tr td:nth-child(5)").evaluate_all(
        "tds => tds.map(td => td.dataset.sort)")
    known = [float(v) for v in shown if v]
    assert revenue.get_attribute("aria-sort") == "descending" and known == sorted(known, reverse=True)
    assert shown[len(known):] == [""] * (len(shown) - len(known))  # unknown revenue last

    p.locator('circle.bubble[data-id="A001"]').click()
    p.wait_for_selector("#criteria")
    assert p.url.endswith(f"/ui/accounts/A001?as_of={AS_OF}")


def test_account_page(page: tuple[Page, Watch], served: Served) -> None:
    p, watch = page
    watch.expected.append(404)  # another KAM's account
    _sign_in(p, served, "U02", f"/ui/accounts/A001?as_of={AS_OF}")
    p.wait_for_selector("#trend-chart svg")
    assert p.url.endswith(f"/ui/accounts/A001?as_of={AS_OF}")  # back where sign-in was asked for
    assert p.locator("h1").inner_text().startswith("Acme Corp")
    assert p.locator("#criteria tbody tr:not(.axis)").count() == 8
    assert "accounts with lower revenue: 38" in p.locator("#criteria").inner_text()
    assert p.locator("#health tbody tr").count() == 6
    assert p.locator("#trend-chart circle.trend-dot").count() == 13
    dana = p.locator("#network li", has_text="Dana Whitfield")
    assert "sentiment drop" in dana.inner_text() and "last touch 2026-11-17" in dana.inner_text()
    assert p.locator("#network li.depth-1").count() >= 1  # a reports-to tree, not a flat list
    assert "worried about budget" in p.locator(".note").first.inner_text()
    assert "dated 2026-08-14" in p.locator("#plan").inner_text()  # the demo's plans carry their date only
    _shot(p, "03-account")

    p.goto(f"{served.url}/ui/accounts/A011?as_of={AS_OF}")  # Jordan's account: not Sam's to see
    assert p.locator("h1").inner_text() == "Not found"
    assert p.evaluate("fetch(location.href).then(r => r.status)") == 404


def test_drift_for_a_manager(page: tuple[Page, Watch], served: Served) -> None:
    p, _ = page
    _sign_in(p, served, "U01", f"/ui/drift?as_of={AS_OF}")
    names = p.locator("section.drift h2 a").all_inner_texts()
    assert names == ["Halcyon Retail Group", "Brightwater Foods", "Northwind Logistics"]  # worst first
    text = p.locator("main").inner_text()
    assert "3 of 40 account(s) drifting" in text and "Health 4.40, unchanged" in text
    assert "Olivia Grant" in text
    _shot(p, "04-drift")

    p.goto(f"{served.url}/ui/?scope=team&as_of={AS_OF}")  # the whole team's book: a crowded chart
    p.wait_for_selector("#matrix-chart svg circle.bubble")
    placed = int(p.locator("#matrix-chart").get_attribute("data-points"))
    labelled = int(p.locator("#matrix-chart").get_attribute("data-labelled"))
    assert placed == p.locator("circle.bubble").count() >= 30 and labelled == p.locator("text.label").count()
    boxes = p.locator("text.label, text.quad-label").evaluate_all(
        "ts => ts.map(t => { const b = t.getBBox(); return [b.x, b.y, b.width, b.height]; })")
    _shot(p, "02b-matrix-team")
    assert not _overlapping(boxes)
    biggest = p.locator("circle.bubble").evaluate_all(
        "cs => cs.sort((a, b) => b.getAttribute('r') - a.getAttribute('r')).slice(0, 10).map(c => c.dataset.id)")
    shown = set(p.locator("#matrix-chart a:has(text.label)").evaluate_all("as => as.map(a => a.dataset.id)"))
    assert set(biggest) <= shown  # when crowded, the biggest accounts keep their names


def test_commitments_done_snooze_and_csrf(page: tuple[Page, Watch], served: Served) -> None:
    p, watch = page
    watch.expected.append(403)  # the forged post
    _sign_in(p, served, "U02", f"/ui/commitments?as_of={AS_OF}")
    overdue = p.locator("#overdue tbody tr")
    before = overdue.count()
    assert before >= 1
    _shot(p, "05-commitments")
    first = overdue.first
    cid = first.get_attribute("data-id")
    first.locator("button.done").click()
    p.wait_for_load_state()
    assert cid in p.locator(".flash").inner_text() or "done" in p.locator(".flash").inner_text().lower()
    assert p.locator(f'#overdue tr[data-id="{cid}"]').count() == 0
    soon = p.locator("#due-soon tbody tr")
    if soon.count():
        sid = soon.first.get_attribute("data-id")
        soon.first.locator("button.snooze").click()
        p.wait_for_load_state()
        assert "snoozed" in p.locator(".flash").inner_text().lower()
        assert p.locator(f'#due-soon tr[data-id="{sid}"]').count() == 0
    _shot(p, "06-commitments-after")
    forged = p.evaluate(
        """(id) => fetch(`/ui/commitments/${id}/done`, {method: 'POST', body: new URLSearchParams({csrf: 'x'})})
                   .then(r => r.status)""", overdue.first.get_attribute("data-id") if overdue.count() else "C0001")
    assert forged == 403


def test_sign_out(page: tuple[Page, Watch], served: Served) -> None:
    p, _ = page
    _sign_in(p, served, "U03", f"/ui/?as_of={AS_OF}")
    assert "Jordan Lee" in p.locator(".who").inner_text()
    p.click("form.logout button")
    p.wait_for_load_state()
    assert "/ui/login" in p.url
    p.goto(f"{served.url}/ui/commitments")
    assert "/ui/login" in p.url


@pytest.mark.parametrize(("path", "ready"), [("/docs", ".opblock"), ("/redoc", "[data-section-id]")])
def test_api_docs_render_offline(page: tuple[Page, Watch], served: Served, path: str, ready: str) -> None:
    p, watch = page
    requests: list[str] = []
    p.on("requestfinished", lambda r: requests.append(r.url) if isinstance(r, Request) else None)
    # ReDoc's bundle hard-codes a remote logo; the page's Content-Security-Policy makes the browser refuse it
    # (one console line) rather than fetch it: no request leaves the machine (the route guard would see it).
    watch.errors_allowed = ["Loading the image 'https://cdn.redoc.ly/redoc/logo-mini.svg' violates"]
    p.goto(f"{served.url}{path}")
    p.wait_for_selector(ready, timeout=30_000)
    assert "/v1/chat" in p.locator("body").inner_text()
    assert all(re.match(r"http://127\.0\.0\.1:\d+/", u) or u.startswith("data:") for u in requests), requests
    _shot(p, f"07-api{path.replace('/', '-')}")
