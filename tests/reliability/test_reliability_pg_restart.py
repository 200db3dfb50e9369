"""A PostgreSQL restart under load: the HTTP app (a real uvicorn server on loopback) answers a steady stream of
reads and writes from several client threads while its dedicated PostgreSQL cluster is restarted with
``pg_ctl restart -m fast``. Requests may fail only while the server is down; every request started after the
restart succeeds, the pool's dead connections are replaced (``pool_pre_ping``), no request waits for a pool
slot (no QueuePool timeout) and no connection stays checked out."""

from __future__ import annotations

import datetime as dt
import logging
import os
import pwd
import shlex
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from glob import glob
from pathlib import Path

import httpx
import pytest
import uvicorn
from agent_seed import AS_OF, seed
from fastapi.testclient import TestClient
from reliability_support import figure
from server_support import serve_app
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from integrations.http.app import create_app
from integrations.http.tokens import issue_token
from integrations.runtime import Runtime
from store.settings import Settings

CLIENTS = 4
BEFORE = 200  # requests completed before the restart
AFTER = 300  # requests started after the restart returned, all of which must succeed
LAST = 100  # ... and the last requests of the run
DEADLINE_S = 180


def _pg_bin() -> Path | None:
    found = glob("/usr/lib/postgresql/*/bin/initdb")
    if found:
        return Path(max(found, key=lambda p: int(Path(p).parts[-3].split(".")[0]))).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class _Cluster:
    """A throwaway PostgreSQL cluster on a free loopback port, run as the ``postgres`` user when we are root."""

    def __init__(self, bin_dir: Path) -> None:
        self.bin = bin_dir
        self.root = Path(tempfile.mkdtemp(prefix="kam-pg-restart-"))
        self.data = self.root / "data"
        self.port = _free_port()
        if os.geteuid() == 0:
            pw = pwd.getpwnam("postgres")
            os.chown(self.root, pw.pw_uid, pw.pw_gid)

    def _run(self, *args: str) -> None:
        cmd = [str(self.bin / args[0]), *args[1:]]
        if os.geteuid() == 0:
            cmd = ["su", "postgres", "-c", shlex.join(cmd)]
        proc = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
        if proc.returncode != 0:
            log = (self.root / "log").read_text() if (self.root / "log").exists() else ""
            raise RuntimeError(f"{shlex.join(args)} failed: {proc.stderr or proc.stdout}\n{log[-2000:]}")

    def start(self) -> str:
        self._run("initdb", "-D", str(self.data), "-U", "kam", "--auth=trust", "-E", "UTF8", "--no-sync")
        opts = f"-h 127.0.0.1 -p {self.port} -k {self.root} -c fsync=off -c max_connections=100"
        self._run("pg_ctl", "-D", str(self.data), "-o", opts, "-l", str(self.root / "log"), "-w", "start")
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "kam", "kam")
        return f"postgresql://kam@127.0.0.1:{self.port}/kam"

    def restart(self) -> None:
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-m", "fast", "-w", "restart")

    def destroy(self) -> None:
        try:
            if (self.data / "postmaster.pid").exists():
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


@pytest.fixture
def cluster() -> Iterator[_Cluster]:
    bin_dir = _pg_bin()
    if bin_dir is None or not (bin_dir / "pg_ctl").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but the PostgreSQL server binaries (initdb, pg_ctl) are not installed")
        pytest.skip("PostgreSQL server binaries (initdb, pg_ctl) not installed: .ci/start-postgres installs them")
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.fail("running as root, but there is no postgres user to run the cluster as")
    c = _Cluster(bin_dir)
    try:
        yield c
    finally:
        c.destroy()


@dataclass
class _Request:
    kind: str
    start: float
    end: float
    status: int | None  # None: the client got no HTTP answer at all
    detail: str


class _ErrorTypes(logging.Handler):
    """The exception types the app logged for its 500s."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.types: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info and record.exc_info[0] is not None:
            self.types.append(f"{record.exc_info[0].__module__}.{record.exc_info[0].__name__}")


def _serve(runtime: Runtime) -> tuple[uvicorn.Server, threading.Thread, int]:
    return serve_app(create_app(runtime, with_slack=False))


@pytest.mark.slow
def test_postgres_restart_under_load(cluster: _Cluster, tmp_path: Path) -> None:
    url = cluster.start()
    runtime = Runtime.build(Settings(data_dir=tmp_path / "data", env="test", database_url=url))
    seed(runtime.db)
    tokens = {uid: issue_token(runtime.db, uid) for uid in ("U02", "U03")}
    handler = _ErrorTypes()
    watched = [logging.getLogger("integrations.http.app"), logging.getLogger("uvicorn.error")]
    for logger in watched:
        logger.addHandler(handler)
    server, server_thread, port = _serve(runtime)

    requests: list[_Request] = []
    lock = threading.Lock()
    stop = threading.Event()

    def client(n: int) -> None:
        auth = {"Authorization": f"Bearer {tokens['U02' if n % 2 == 0 else 'U03']}"}
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as http:
            i = 0
            while not stop.is_set():
                i += 1
                kind = ("healthz", "accounts", "commitments", "snooze")[(i + n) % 4]
                day = (AS_OF + dt.timedelta(days=i)).isoformat()
                began = time.perf_counter()
                try:
                    if kind == "healthz":
                        r = http.get("/healthz")
                    elif kind == "accounts":
                        r = http.get("/v1/accounts", headers=auth)
                    elif kind == "commitments":  # a tool call in a write transaction
                        r = http.get("/v1/commitments", params={"scope": "mine", "as_of": day}, headers=auth)
                    else:  # a write: a row lock, an update and an audit record
                        cid = "C001" if n % 2 == 0 else "C002"
                        r = http.post(f"/v1/commitments/{cid}/snooze", params={"days": 2, "as_of": day}, headers=auth)
                    done = _Request(kind, began, time.perf_counter(), r.status_code, r.text[:200])
                except httpx.HTTPError as exc:
                    done = _Request(kind, began, time.perf_counter(), None, f"{type(exc).__name__}: {exc}")
                with lock:
                    requests.append(done)

    def wait_for(what: str, condition: object) -> None:
        deadline = time.perf_counter() + DEADLINE_S
        while not condition():  # type: ignore[operator]
            assert time.perf_counter() < deadline, f"timed out waiting for {what}"
            time.sleep(0.01)

    threads = [threading.Thread(target=client, args=(n,), name=f"client-{n}") for n in range(CLIENTS)]
    try:
        for t in threads:
            t.start()
        wait_for(f"{BEFORE} requests", lambda: len(requests) >= BEFORE)
        t0 = time.perf_counter()
        cluster.restart()
        t1 = time.perf_counter()
        wait_for(f"{AFTER} requests after the restart",
                 lambda: sum(r.start > t1 for r in list(requests)) >= AFTER)
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    pool = runtime.db.engine.pool
    checked_out = pool.checkedout()  # the clients are done; a request or two may still be closing its session
    settle = time.perf_counter() + 30
    while pool.checkedout() and time.perf_counter() < settle:
        time.sleep(0.05)
    settled, pool_status = pool.checkedout(), pool.status()
    server.should_exit = True
    server_thread.join(timeout=20)
    for logger in watched:
        logger.removeHandler(handler)

    ok = [r for r in requests if r.status == 200]
    failed = [r for r in requests if r.status != 200]
    before = [r for r in requests if r.end < t0]
    after = [r for r in requests if r.start > t1]
    during = [r for r in requests if r not in before and r not in after]
    recovered = min((r.end for r in ok if r.start > t0), default=float("nan")) - t0
    last_failure = max((r.end for r in failed), default=t0) - t0
    types = sorted(set(handler.types))
    figure(f"RELIABILITY pg restart under load: {len(requests)} requests from {CLIENTS} clients, "
           f"before {len(before)} / during {len(during)} / after {len(after)}; errors {len(failed)} "
           f"(before {sum(r in failed for r in before)}, during {sum(r in failed for r in during)}, "
           f"after {sum(r in failed for r in after)}; {', '.join(types) or 'none'}); restart (pg_ctl -m fast) "
           f"{t1 - t0:.2f} s, first success {recovered:.2f} s and last failure {last_failure:.2f} s after it began; "
           f"pool timeouts {sum('TimeoutError' in t for t in handler.types)}, connections checked out when the "
           f"clients stopped {checked_out}, then {settled}")

    unexpected = [r for r in failed if not ((r.status == 500 and '"internal error"' in r.detail)
                                            or (r.kind == "healthz" and r.status == 503 and '"down"' in r.detail))]
    assert unexpected == [], unexpected[:5]  # a dead database is a 500 (/healthz: 503), never a hung server
    assert [r for r in failed if not (r.start < t1 and r.end > t0)] == []  # failures only in the outage
    assert len(after) >= AFTER and all(r.status == 200 for r in after)
    assert all(r.status == 200 for r in sorted(requests, key=lambda r: r.start)[-LAST:])
    assert not any("TimeoutError" in t for t in handler.types), types  # no QueuePool timeout
    assert settled == 0, pool_status  # every connection went back to the pool
    runtime.close()


def test_an_unexpected_error_is_a_500_and_the_connection_stays_usable(settings: Settings) -> None:
    """What a database outage looks like to the app: an exception nobody handles. The client gets a 500 and
    its keep-alive connection keeps working (an exception handler for ``Exception`` would let uvicorn drop
    the connection after the 500, failing the client's next request with a reset)."""
    runtime = Runtime.build(settings)
    app = create_app(runtime, with_slack=False)

    @app.get("/boom")
    def boom() -> dict[str, str]:
        raise RuntimeError("the database went away")

    server, thread, port = serve_app(app)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as http:
            for _ in range(20):
                r = http.get("/boom")
                assert (r.status_code, r.json()) == (500, {"error": "internal error"})
                assert http.get("/healthz").status_code == 200  # same connection, next request
            assert http.get("/v1/accounts").status_code == 401  # handled errors keep their status
    finally:
        server.should_exit = True
        thread.join(timeout=20)


def test_a_read_session_that_fails_to_close_does_not_fail_the_answer(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A request's read session is closed after the answer was sent; when its connection died meanwhile (the
    restart above), the close fails. The answer stands and the next request is served."""
    runtime = Runtime.build(settings)
    seed(runtime.db)
    auth = {"Authorization": f"Bearer {issue_token(runtime.db, 'U02')}"}
    open_session = runtime.db.session
    failed_closes: list[str] = []

    def session() -> Session:
        s = open_session()
        close = s.close

        def dying_close() -> None:
            close()
            failed_closes.append("closed")
            raise OperationalError("ROLLBACK", {}, Exception("terminating connection due to administrator command"))

        s.close = dying_close  # type: ignore[method-assign]
        return s

    monkeypatch.setattr(runtime.db, "session", session)
    with TestClient(create_app(runtime, with_slack=False)) as client:  # raises what escapes the app
        for _ in range(3):
            r = client.get("/v1/accounts", headers=auth)
            assert r.status_code == 200 and [a["id"] for a in r.json()["accounts"]] == ["A001", "A002"]
    assert len(failed_closes) == 3
