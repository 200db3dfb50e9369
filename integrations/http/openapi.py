"""What the OpenAPI document says beyond the routes themselves: the error body every non-2xx answer shares, the
statuses each route really returns, and the docs pages (Swagger UI, ReDoc) served from the package's own assets.

The Swagger UI and ReDoc bundles come from the ``fastapi-offline`` package (its ``static`` folder), so ``/docs``
and ``/redoc`` work with no network: nothing is fetched from a CDN, no web font, no validator badge.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.security import HTTPBearer
from pydantic import BaseModel, Field

DOCS_STATIC = "/static-offline-docs"

bearer = HTTPBearer(
    auto_error=False,
    scheme_name="bearer",
    bearerFormat="kam_...",
    description="A token from `kam users token USER`, sent as `Authorization: Bearer kam_...`.",
)


class ErrorBody(BaseModel):
    """Every error answer: a sentence, and where it helps the problems, a code and suggestions."""

    error: str = Field(..., description="What went wrong, in a sentence")
    problems: list[str] | None = Field(None, description="422: each invalid field and why")
    code: str | None = Field(None, description="A tool error's code: not_found, ambiguous, ...")
    suggestions: list[str] | None = Field(None, description="Close matches when a name was not found")
    hint: str | None = Field(None, description="401: how to get a token")


_WHY = {
    400: "The tool refused the arguments (a recoverable error with a code)",
    401: "Missing, unknown or revoked bearer token",
    404: "No such account, commitment or tool, or not yours to see",
    409: "The name matches several accounts; the suggestions list them",
    413: "The request body is over the configured size limit",
    422: "Invalid parameters or body, or an as_of out of range",
}


def errors(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """The ``responses=`` of a route that can answer ``statuses``, each with the shared error body."""
    return {status: {"model": ErrorBody, "description": _WHY[status]} for status in statuses}


# The docs pages may load only from this server. ReDoc's bundle hard-codes one remote image (a "by Redocly"
# logo it hides when it fails to load): the browser refuses it instead of fetching it.
_DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
             "img-src 'self' data: blob:; font-src 'self' data:; worker-src 'self' blob:; connect-src 'self'; "
             "frame-ancestors 'none'; base-uri 'none'")


def offline_docs_app(**kwargs: Any) -> FastAPI:
    """A FastAPI app whose ``/docs`` and ``/redoc`` load their scripts and styles from this server."""
    from fastapi_offline import FastAPIOffline

    parameters = {"validatorUrl": None, "persistAuthorization": True, **kwargs.pop("swagger_ui_parameters", {})}
    app = FastAPIOffline(static_url=DOCS_STATIC, swagger_ui_parameters=parameters, **kwargs)
    pages = {app.docs_url or "/docs", app.redoc_url or "/redoc", "/docs", "/redoc"}

    @app.middleware("http")
    async def _docs_csp(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        if request.url.path in pages:
            response.headers["Content-Security-Policy"] = _DOCS_CSP
        return response

    return app
