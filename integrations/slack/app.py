"""The Slack app: a bolt ``App`` built from Settings, its Web API client, and the process-wide bot state.

Every request is acknowledged before any slow work: bolt runs with ``process_before_response`` off, so
an event is acknowledged on arrival and its listener (the agent turn) runs on a worker thread; slash
commands and button clicks call ``ack()`` first. The worker pool is tracked so tests, benchmarks and a
clean shutdown can wait for the work in flight (``SlackBot.wait_idle``).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any, Literal

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import ConnectionErrorRetryHandler, RateLimitErrorRetryHandler, RetryState
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse

from integrations.runtime import Runtime, today
from integrations.slack.events import InFlight
from integrations.slack.home import MatrixImages
from store.settings import Settings

log = logging.getLogger("kam.slack")

MAX_RETRY_AFTER_S = 60


class SlackConfigError(RuntimeError):
    """Slack is asked for but not configured well enough to run (a missing token or secret)."""


class RetryAfterHandler(RateLimitErrorRetryHandler):
    """On HTTP 429, wait exactly the ``Retry-After`` seconds Slack asked for (capped) and try again."""

    def __init__(self, max_retry_count: int = 3, max_wait_s: float = MAX_RETRY_AFTER_S) -> None:
        super().__init__(max_retry_count=max_retry_count)
        self.max_wait_s = max_wait_s

    def prepare_for_next_attempt(
        self, *, state: RetryState, request: HttpRequest, response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        if response is None:
            raise error  # type: ignore[misc]
        state.next_attempt_requested = True
        wait = 1.0
        for key, values in response.headers.items():
            if key.lower() == "retry-after":
                value = values[0] if isinstance(values, list) else values
                try:
                    wait = float(value)
                except (TypeError, ValueError):
                    wait = 1.0
        wait = max(0.0, min(wait, self.max_wait_s))
        log.warning("slack rate limited on %s; retrying in %.1fs", request.url, wait)
        time.sleep(wait)
        state.increment_current_attempt()


def slack_mode(settings: Settings) -> Literal["socket", "http"] | None:
    """How Slack runs: Socket Mode with an app token, HTTP events with a signing secret, or off."""
    if settings.slack_bot_token is None:
        return None
    if settings.slack_app_token is not None:
        return "socket"
    if settings.slack_signing_secret is not None:
        return "http"
    return None


def make_web_client(settings: Settings, *, base_url: str | None = None) -> WebClient:
    """A Web API client with the bot token, honouring 429 Retry-After; ``KAM_SLACK_API_URL`` overrides the URL."""
    if settings.slack_bot_token is None:
        raise SlackConfigError("Slack is not configured: set KAM_SLACK_BOT_TOKEN (xoxb-...)")
    url = base_url or settings.slack_api_url or WebClient.BASE_URL
    return WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=url if url.endswith("/") else url + "/",
        timeout=30,
        retry_handlers=[ConnectionErrorRetryHandler(), RetryAfterHandler()],
    )


class _TrackingExecutor(ThreadPoolExecutor):
    """A thread pool that counts the work submitted and not yet finished."""

    def __init__(self, max_workers: int) -> None:
        super().__init__(max_workers=max_workers, thread_name_prefix="kam-slack")
        self._busy = 0
        self._idle = threading.Condition()

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        with self._idle:
            self._busy += 1
        try:
            future = super().submit(fn, *args, **kwargs)
        except BaseException:
            self._done(None)
            raise
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future[Any] | None) -> None:
        with self._idle:
            self._busy -= 1
            self._idle.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        with self._idle:
            while self._busy > 0:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._idle.wait(remaining)
        return True


@dataclass
class SlackBot:
    """The Slack side of one process: the bolt app, its client, the clock and the work in flight."""

    runtime: Runtime
    app: App
    client: WebClient
    executor: _TrackingExecutor
    clock: Callable[[], dt.date]
    bot_user_id: str | None = None
    inflight: InFlight = field(default_factory=InFlight)
    home_images: MatrixImages = field(default_factory=MatrixImages)

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    def today(self) -> dt.date:
        return self.clock()

    def wait_idle(self, timeout: float = 30.0) -> bool:
        """Wait until every acknowledged request has been worked off; ``False`` on timeout."""
        return self.executor.wait_idle(timeout)

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=False)


def build_slack_bot(
    runtime: Runtime,
    *,
    client: WebClient | None = None,
    clock: Callable[[], dt.date] | None = None,
    workers: int = 8,
) -> SlackBot:
    """The bolt app with kam-agent's listeners, from the runtime's Settings.

    Needs ``KAM_SLACK_BOT_TOKEN``, and ``KAM_SLACK_SIGNING_SECRET`` unless Socket Mode is used
    (``KAM_SLACK_APP_TOKEN``). The token is checked once with ``auth.test`` here, at start. With
    ``KAM_SLACK_TEAM_ID`` set, requests from any other workspace are refused (403).
    """
    from integrations.slack.handlers import register

    settings = runtime.settings
    client = client or make_web_client(settings)
    secret = settings.slack_signing_secret.get_secret_value() if settings.slack_signing_secret else None
    if secret is None and settings.slack_app_token is None:
        raise SlackConfigError("Slack over HTTP needs KAM_SLACK_SIGNING_SECRET (or KAM_SLACK_APP_TOKEN for "
                               "Socket Mode)")
    try:
        auth = client.auth_test()
    except SlackApiError as exc:
        raise SlackConfigError(f"Slack refused KAM_SLACK_BOT_TOKEN (auth.test: {exc.response.get('error')})") from exc
    executor = _TrackingExecutor(max_workers=workers)
    app = App(
        client=client,
        signing_secret=secret or "",
        request_verification_enabled=secret is not None,
        process_before_response=False,
        listener_executor=executor,
        raise_error_for_unhandled_request=False,
        logger=log,
    )
    bot = SlackBot(runtime=runtime, app=app, client=client, executor=executor,
                   clock=clock or (lambda: today(settings)), bot_user_id=auth.get("user_id"))
    if settings.slack_team_id:
        app.use(_workspace_only(settings.slack_team_id))
    register(app, bot)
    return bot


def _workspace_only(team_id: str) -> Callable[..., BoltResponse | None]:
    """Bolt middleware refusing (403) any request from another workspace than ``team_id``: the signing secret
    proves the request came from Slack for this app, not from the workspace this deployment serves."""

    def check(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse | None:  # noqa: A002
        if context.team_id == team_id:
            return next()
        log.warning("refused a Slack request from workspace %r (this app serves %s)", context.team_id, team_id)
        return BoltResponse(status=403, body="")

    return check
