"""Benchmark: ``POST /v1/chat`` requests per second with the offline planner, beside a bare FastAPI endpoint
served the same way on the same machine, in the same run.

    python -m evals.benchmarks.http_bench [--requests 300] [--concurrency 4]

Both apps run under uvicorn on loopback; a pool of client threads sends the requests over real HTTP.
"""

from __future__ import annotations

import argparse
import os
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
from fastapi import FastAPI

from evals.benchmarks.serving import serve_in_thread

MESSAGES = (
    "show my matrix",
    "what's overdue?",
    "who's gone dark at Acme?",
    "score Halcyon",
    "which accounts are drifting?",
    "what did Dana say about pricing?",
)



def _load(port: int, send: Callable[[httpx.Client, int], httpx.Response], n: int, concurrency: int) -> dict[str, float]:
    latencies: list[float] = []
    errors = 0
    lock = threading.Lock()
    local = threading.local()

    def one(i: int) -> None:
        nonlocal errors
        if not hasattr(local, "client"):
            local.client = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60)
        start = time.perf_counter()
        response = send(local.client, i)
        elapsed = time.perf_counter() - start
        with lock:
            latencies.append(elapsed)
            if response.status_code != 200:
                errors += 1

    started = time.perf_counter()
    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(n)))
    wall = time.perf_counter() - started
    latencies.sort()
    return {
        "requests": n,
        "errors": errors,
        "rps": n / wall,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
    }


def run(requests: int = 300, concurrency: int = 4) -> dict[str, Any]:
    from evals.fixtures import fresh_demo_store, remove_store
    from integrations.http.app import create_app
    from integrations.http.tokens import issue_token

    store = fresh_demo_store()
    runtime = store.runtime()
    token = issue_token(runtime.db, "U03")  # type: ignore[attr-defined]
    headers = {"Authorization": f"Bearer {token}"}
    as_of = store.as_of.isoformat()
    runtime.agent()  # type: ignore[attr-defined]  # compile the graph and load exemplars before timing

    bare = FastAPI()

    @bare.post("/v1/chat")
    def _echo(body: dict[str, Any]) -> dict[str, Any]:
        return {"thread_id": "t", "reply": str(body.get("message", "")), "tool_calls": []}

    results: dict[str, Any] = {"cores": os.cpu_count(), "concurrency": concurrency}
    for name, app in (("bare_fastapi", bare), ("kam_chat", create_app(runtime, with_slack=False))):  # type: ignore[arg-type]
        server, thread, port = serve_in_thread(app)
        try:
            def send(client: httpx.Client, i: int) -> httpx.Response:
                body = {"message": MESSAGES[i % len(MESSAGES)], "as_of": as_of}
                return client.post("/v1/chat", json=body, headers=headers)

            _load(port, send, min(20, requests), concurrency)  # warm-up
            results[name] = _load(port, send, requests, concurrency)
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    results["ratio_rps"] = results["kam_chat"]["rps"] / results["bare_fastapi"]["rps"]
    runtime.close()  # type: ignore[attr-defined]
    remove_store(store)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=4)
    args = parser.parse_args()
    r = run(args.requests, args.concurrency)
    print(f"POST /v1/chat over loopback, {args.requests} requests, {args.concurrency} client threads, "
          f"{r['cores']} cores")
    print(f"{'endpoint':<16}{'req/s':>10}{'p50 ms':>10}{'p95 ms':>10}{'errors':>8}")
    for name in ("bare_fastapi", "kam_chat"):
        x = r[name]
        print(f"{name:<16}{x['rps']:>10.1f}{x['p50_ms']:>10.1f}{x['p95_ms']:>10.1f}{x['errors']:>8}")
    print(f"kam /v1/chat runs at {r['ratio_rps']:.3f}x the bare endpoint's rate")


if __name__ == "__main__":
    main()
