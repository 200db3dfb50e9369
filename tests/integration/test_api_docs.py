"""The API's own documentation: Swagger UI and ReDoc served from local assets (no CDN, no web font), and an
OpenAPI document that declares the bearer scheme and the error answers each route really gives."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from agent_seed import AS_OF, seed
from fastapi.testclient import TestClient

from integrations.http.app import create_app
from integrations.http.tokens import issue_token
from integrations.runtime import Runtime
from store.settings import Settings

_URL = re.compile(r"""(?:src|href|url)\s*[=(]\s*["']?([^"' )>]+)""", re.IGNORECASE)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    runtime = Runtime.build(settings)
    seed(runtime.db)
    with TestClient(create_app(runtime, with_slack=False)) as c:
        c.headers["Authorization"] = f"Bearer {issue_token(runtime.db, 'U02')}"
        yield c
    runtime.close()


@pytest.mark.parametrize(("page", "assets"), [
    ("/docs", {"swagger-ui-bundle.js", "swagger-ui.css", "favicon.png"}),
    ("/redoc", {"redoc.standalone.js", "favicon.png", "openapi.json"}),
])
def test_docs_pages_load_only_local_assets(client: TestClient, page: str, assets: set[str]) -> None:
    html = client.get(page).text
    refs = _URL.findall(html)
    assert refs, html
    assert not [r for r in refs if re.match(r"(?:https?:)?//", r)], refs
    assert "fonts.googleapis" not in html and "cdn." not in html
    assert '"validatorUrl": null' in html or page == "/redoc"  # no badge fetched from the validator service
    assert {r.rsplit("/", 1)[-1] for r in refs} == assets
    for ref in refs:
        asset = client.get(ref)
        assert asset.status_code == 200 and len(asset.content) > 1000, ref
    assert client.get("/openapi.json").status_code == 200


def test_openapi_declares_the_bearer_scheme_and_the_error_answers(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["components"]["securitySchemes"]["bearer"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "kam_...",
        "description": "A token from `kam users token USER`, sent as `Authorization: Bearer kam_...`."}
    paths = spec["paths"]
    assert "security" not in paths["/healthz"]["get"]
    for path, methods in paths.items():
        for method, op in methods.items():
            if path.startswith("/v1/"):
                assert op["security"] == [{"bearer": []}], (method, path)
                assert {"401", "422"} <= set(op["responses"]), (method, path)
                err = op["responses"]["401"]["content"]["application/json"]["schema"]
                assert err == {"$ref": "#/components/schemas/ErrorBody"}
            if method == "post" and path.startswith("/v1/"):
                assert "413" in op["responses"], path
    for path in ("/v1/tools/{name}", "/v1/accounts/{account_id}", "/v1/commitments/{commitment_id}/done"):
        assert "404" in next(iter(paths[path].values()))["responses"], path
    assert spec["components"]["schemas"]["ErrorBody"]["required"] == ["error"]


def test_the_declared_errors_are_the_ones_given(client: TestClient) -> None:
    """Each declared status, triggered, comes back in the declared shape."""
    spec = client.get("/openapi.json").json()["paths"]
    answers = {
        401: client.get("/v1/accounts", headers={"Authorization": "Bearer nope"}),
        404: client.get("/v1/accounts/NOPE", params={"as_of": AS_OF.isoformat()}),
        413: client.post("/v1/tools/show_matrix", content=b'{"args": {"scope": "' + b"x" * 300_000 + b'"}}',
                         headers={"Content-Type": "application/json"}),
        422: client.get("/v1/accounts", params={"scope": "everyone"}),
    }
    routes = {401: ("/v1/accounts", "get"), 404: ("/v1/accounts/{account_id}", "get"),
              413: ("/v1/tools/{name}", "post"), 422: ("/v1/accounts", "get")}
    for status, response in answers.items():
        assert response.status_code == status, (status, response.text)
        assert isinstance(response.json()["error"], str)
        path, method = routes[status]
        assert str(status) in spec[path][method]["responses"]
    assert client.post("/v1/tools/no_such_tool", json={"args": {}}).status_code == 404
    assert client.post("/v1/commitments/NOPE/done", params={"as_of": AS_OF.isoformat()}).status_code == 404
