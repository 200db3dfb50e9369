"""Benchmark: Slack acknowledgement latency while the agent works, beside a bare endpoint in the same run.

    python -m evals.benchmarks.slack_bench [--events 300] [--concurrency 4]

Run from a source checkout: it uses the Slack Web API mock the tests use (``tests/support/slack_mock.py``).
The demo portfolio is imported into a fresh data dir; the Slack app is mounted on a FastAPI app served by uvicorn on
loopback, with its Web API client pointed at the mock. Client threads post signed ``app_mention`` events
(each a new message from a demo rep: overdue commitments, scores, dark stakeholders, drift, the matrix)
and time each request from the POST to the 200: Slack's 3-second acknowledgement. The agent turns run
in the background while later events arrive. The baseline is a bare FastAPI endpoint that answers 200
to the same POSTs, served the same way. Figures are printed, never asserted; ``run()`` returns them.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from fastapi import FastAPI, Request, Response
from pydantic import SecretStr
from slack_sdk.signature import SignatureVerifier

from evals.benchmarks.serving import serve_in_thread

SECRET = "bench-signing-secret"
TEAM = "T0BENCH01"
BOT = "UBOT0001"
REQUESTS = (
    "what's overdue for me?",
    "score {account}",
    "who's gone dark at {account}?",
    "show my open commitments",
    "show my matrix",
    "how should I run a Develop account?",
)



def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _event(i: int, user: str, text: str) -> str:
    ts = f"{1_800_000_000 + i}.{i % 1_000_000:06d}"
    return json.dumps({"token": "legacy", "team_id": TEAM, "api_app_id": "A0BENCH", "type": "event_callback",
                       "event_id": f"EvBench{i}", "event_time": 1_800_000_000 + i,
                       "event": {"type": "app_mention", "user": user, "text": f"<@{BOT}> {text}", "ts": ts,
                                 "channel": f"C0BENCH{i % 7}", "event_ts": ts}})


def _load(port: int, bodies: list[str], concurrency: int) -> dict[str, Any]:
    verifier = SignatureVerifier(SECRET)
    latencies: list[float] = []
    slow: list[tuple[float, float]] = []  # (seconds into the run, latency) of each request
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    local = threading.local()

    def one(body: str) -> None:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30)
        ts = str(int(time.time()))
        headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": ts,
                   "X-Slack-Signature": verifier.generate_signature(timestamp=ts, body=body)}
        started = time.perf_counter()
        response = client.post("/slack/events", content=body, headers=headers)
        elapsed = time.perf_counter() - started
        with lock:
            latencies.append(elapsed)
            slow.append((started - t0, elapsed))
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1

    t0 = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, bodies))
    wall = time.perf_counter() - t0
    return {"events": len(bodies), "statuses": statuses, "wall_s": wall, "rate": len(bodies) / wall,
            "p50_ms": 1000 * statistics.median(latencies), "p99_ms": 1000 * _percentile(latencies, 0.99),
            "max_ms": 1000 * max(latencies), "over_3s": sum(1 for x in latencies if x > 3.0),
            "slowest": [(round(at, 2), round(1000 * ms, 1)) for at, ms in sorted(slow, key=lambda x: -x[1])[:6]]}


def _rep_and_accounts(runtime: Any) -> tuple[str, list[str]]:
    from sqlmodel import col, select

    from store.models import Account, User

    with runtime.db.session() as s:
        for user in s.exec(select(User).where(col(User.role).in_(["rep", "kam"])).order_by(col(User.id))):
            names = list(s.exec(select(Account.name).where(Account.owner_id == user.id).order_by(Account.name)))
            if user.slack_user_id and names:
                return user.slack_user_id, names
    raise RuntimeError("the demo portfolio has no rep with a Slack id and accounts")


def run(events: int = 300, concurrency: int = 4) -> dict[str, Any]:
    """Post ``events`` signed mentions through a real uvicorn server; return the acknowledgement figures."""
    from evals.fixtures import fresh_demo_store, remove_store
    from evals.test_doubles import slack_mock
    from integrations.runtime import Runtime
    from integrations.slack import build_slack_bot, slack_router

    store = fresh_demo_store()
    results: dict[str, Any] = {"cores": os.cpu_count(), "concurrency": concurrency, "events": events}
    with slack_mock().MockSlack(team_id=TEAM, bot_user_id=BOT) as slack:
        settings = store.settings.model_copy(update={
            "slack_bot_token": SecretStr("xoxb-bench"), "slack_signing_secret": SecretStr(SECRET),
            "slack_api_url": slack.base_url})
        runtime = Runtime.build(settings)
        bot = build_slack_bot(runtime, clock=lambda: store.as_of)
        user, accounts = _rep_and_accounts(runtime)
        texts = [REQUESTS[i % len(REQUESTS)].format(account=accounts[i % len(accounts)]) for i in range(events + 20)]
        bodies = [_event(i, user, text) for i, text in enumerate(texts)]

        kam = FastAPI()
        kam.include_router(slack_router(runtime, bot=bot))
        bare = FastAPI()

        @bare.post("/slack/events")
        async def _ack(request: Request) -> Response:
            await request.body()
            return Response(status_code=200)

        apps: list[tuple[str, FastAPI, Callable[[], None]]] = [("bare_fastapi", bare, lambda: None),
                                                               ("kam_slack", kam, lambda: None)]
        for name, app, _ in apps:
            server, thread, port = serve_in_thread(app)
            try:
                warm, timed = bodies[:20], bodies[20:]
                _load(port, warm, concurrency)
                if name == "kam_slack":
                    bot.wait_idle(300)  # the agent compiled, the exemplars and the index loaded
                    slack.reset()
                    started = time.perf_counter()
                    results[name] = _load(port, timed, concurrency)
                    backlog_at_end = bot.executor._busy  # noqa: SLF001 - a figure, read once
                    bot.wait_idle(1800)
                    drained = time.perf_counter() - started
                    replies = len(slack.calls_to("chat.postMessage"))
                    results[name].update({"backlog_when_last_acked": backlog_at_end, "replies": replies,
                                          "all_answered_s": drained, "turns_per_s": replies / drained})
                else:
                    results[name] = _load(port, timed, concurrency)
            finally:
                server.should_exit = True
                thread.join(timeout=10)
        bot.close()
        runtime.close()
    remove_store(store)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    r = run(args.events, args.concurrency)
    print(f"POST /slack/events over loopback (uvicorn), {r['events']} signed app_mention events, "
          f"{r['concurrency']} client threads, {r['cores']} cores")
    print(f"{'endpoint':<14}{'events/s':>10}{'ack p50 ms':>12}{'ack p99 ms':>12}{'max ms':>10}{'>3s':>6}  statuses")
    for name in ("bare_fastapi", "kam_slack"):
        x = r[name]
        print(f"{name:<14}{x['rate']:>10.1f}{x['p50_ms']:>12.1f}{x['p99_ms']:>12.1f}{x['max_ms']:>10.1f}"
              f"{x['over_3s']:>6}  {x['statuses']}")
    k = r["kam_slack"]
    print("slowest kam acks (s into the run, ms): " + ", ".join(f"{at}s {ms}ms" for at, ms in k["slowest"]))
    print(f"agent work behind the acks: {k['backlog_when_last_acked']} turns still queued or running when the last "
          f"event was acknowledged; {k['replies']} replies posted, all answered {k['all_answered_s']:.1f}s after "
          f"the first event ({k['turns_per_s']:.1f} turns/s)")


if __name__ == "__main__":
    main()
