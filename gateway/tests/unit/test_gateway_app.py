"""The whole gateway app in process over ASGITransport; upstream services are an httpx.MockTransport (no sockets)."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
import pytest
from gateway.bootstrap import build_app
from gateway.config import Settings

pytestmark = pytest.mark.anyio

URLS = {"identity": "http://identity.test", "education": "http://education.test"}
TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736"


def service_doc(service: str) -> dict:
    return {"openapi": "3.1.0", "info": {"title": service, "version": "1"},
            "paths": {f"/api/{service}/v1/things": {"get": {"responses": {"200": {"description": "ok"}}}}},
            "components": {"schemas": {"Thing": {"type": "object", "title": service}}}}


class FakeServices:
    """Answers as the services would; records what reached them."""

    def __init__(self) -> None:
        self.seen: list[httpx.Request] = []
        self.down: set[str] = set()
        self.slow: set[str] = set()

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        service = request.url.host.removesuffix(".test")
        if service in self.down:
            raise httpx.ConnectError("connection refused", request=request)
        if service in self.slow:
            raise httpx.ReadTimeout("timed out", request=request)
        self.seen.append(request)
        if request.url.path == "/healthz":
            return httpx.Response(200, json={"status": "up", "service": service})
        if request.url.path == "/openapi.json":
            return httpx.Response(200, json=service_doc(service))
        body = {"service": service, "path": request.url.path, "body": (await request.aread()).decode()}
        return streamed(201 if request.method == "POST" else 200, body,
                        [("set-cookie", "a=1"), ("set-cookie", "b=2"), ("x-request-id", "theirs")])

    @property
    def last(self) -> httpx.Request:
        return self.seen[-1]


class _Body(httpx.AsyncByteStream):
    """A body still to be read, as a real connection gives it (httpx.Response(json=...) arrives pre-read)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    async def __aiter__(self) -> AsyncIterator[bytes]:
        yield self.data


def streamed(status: int, body: dict, headers: list[tuple[str, str]]) -> httpx.Response:
    data = json.dumps(body).encode()
    headers = [*headers, ("content-type", "application/json"), ("content-length", str(len(data)))]
    return httpx.Response(status, headers=headers, stream=_Body(data))


@pytest.fixture
def services() -> FakeServices:
    return FakeServices()


@asynccontextmanager
async def running(services: FakeServices, verifier, **settings: object) -> AsyncIterator[httpx.AsyncClient]:
    app = build_app(Settings(service_urls=URLS, **settings), verifier=verifier, transport=httpx.MockTransport(services))
    transport = httpx.ASGITransport(app, client=("203.0.113.9", 50123))
    async with app.router.lifespan_context(app), httpx.AsyncClient(transport=transport,
                                                                   base_url="http://esis.test") as client:
        yield client


@pytest.fixture
async def client(services: FakeServices, verifier) -> AsyncIterator[httpx.AsyncClient]:
    async with running(services, verifier) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def error_code(response: httpx.Response) -> str:
    return response.json()["error"]["code"]


async def test_api_call_with_a_valid_token_reaches_the_service_unchanged(client, services, issue) -> None:
    response = await client.post("/api/education/v1/classes/7/pupils?year=2024&sort=name", content=b'{"a": 1}',
                           headers={**bearer(issue()), "content-type": "application/json"})
    assert response.status_code == 201
    assert response.json() == {"service": "education", "path": "/api/education/v1/classes/7/pupils",
                               "body": '{"a": 1}'}
    assert services.last.url.query == b"year=2024&sort=name"
    assert services.last.headers["authorization"].startswith("Bearer ")


async def test_request_id_and_trace_context_reach_the_service(client, services, issue) -> None:
    traceparent = f"00-{TRACE_ID}-00f067aa0ba902b7-01"
    response = await client.get("/api/identity/v1/me", headers={**bearer(issue()), "x-request-id": "req-42",
                                                           "traceparent": traceparent})
    assert response.headers["x-request-id"] == "req-42"
    assert services.last.headers["x-request-id"] == "req-42"
    upstream_trace = services.last.headers["traceparent"].split("-")
    assert upstream_trace[1] == TRACE_ID
    assert upstream_trace[2] != "00f067aa0ba902b7"


async def test_a_request_id_is_made_when_the_client_sends_none(client, services, issue) -> None:
    response = await client.get("/api/identity/v1/me", headers=bearer(issue()))
    assert services.last.headers["x-request-id"] == response.headers["x-request-id"]


async def test_forwarded_headers_name_the_client_and_no_encoding_is_invented(client, services, issue) -> None:
    await client.get("/api/identity/v1/me", headers={**bearer(issue()), "accept-encoding": "identity"})
    headers = services.last.headers
    assert headers["x-forwarded-for"] == "203.0.113.9"
    assert headers["x-forwarded-proto"] == "http"
    assert headers["accept-encoding"] == "identity"
    request = client.build_request("GET", "/identity/login")
    del request.headers["accept-encoding"]
    await client.send(request)
    assert "accept-encoding" not in services.last.headers


async def test_repeated_response_headers_survive_and_the_gateway_request_id_wins(client, issue) -> None:
    response = await client.get("/api/identity/v1/me", headers={**bearer(issue()), "x-request-id": "mine"})
    assert response.headers.get_list("set-cookie") == ["a=1", "b=2"]
    assert response.headers.get_list("x-request-id") == ["mine"]


async def test_api_call_without_a_token_is_unauthorized(client, services) -> None:
    response = await client.get("/api/identity/v1/me")
    assert response.status_code == 401
    assert error_code(response) == "not_authenticated"
    assert services.seen == []


@pytest.mark.parametrize("kind", ["tampered", "expired", "other_key", "garbage", "basic"])
async def test_bad_tokens_are_unauthorized(client, services, issue, tampered, kind) -> None:
    from joserfc.jwk import RSAKey

    headers = {
        "tampered": bearer(tampered(issue())),
        "expired": bearer(issue(now=1_600_000_000, ttl_s=60)),
        "other_key": bearer(issue(key=RSAKey.generate_key(2048, private=True))),
        "garbage": bearer("not.a.jwt"),
        "basic": {"Authorization": "Basic dTpw"},
    }[kind]
    response = await client.get("/api/identity/v1/me", headers=headers)
    assert response.status_code == 401
    assert error_code(response) in ("invalid_token", "token_expired")
    assert services.seen == []


async def test_the_session_cookie_authenticates_api_calls(client, services, issue) -> None:
    client.cookies.set("esis_session", issue())
    assert (await client.get("/api/identity/v1/me")).status_code == 200


async def test_a_parent_may_not_call_account_management(client, services, issue) -> None:
    response = await client.get("/api/identity/v1/accounts", headers=bearer(issue(role="parent")))
    assert response.status_code == 403
    assert error_code(response) == "forbidden"
    assert services.seen == []
    allowed = await client.get("/api/identity/v1/accounts", headers=bearer(issue(role="school_admin")))
    assert allowed.status_code == 200


async def test_login_and_jwks_need_no_token_even_with_an_expired_session(client, services, issue) -> None:
    client.cookies.set("esis_session", issue(now=1_600_000_000, ttl_s=60))
    login = await client.post("/api/identity/v1/auth/login", json={"username": "u", "password": "p"})
    assert login.status_code == 201
    assert (await client.get("/api/identity/v1/jwks")).status_code == 200


async def test_well_known_jwks_is_served_by_identity(client, services) -> None:
    response = await client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert services.last.url.path == "/api/identity/v1/jwks"


async def test_web_pages_and_static_files_are_forwarded_without_gateway_auth(client, services) -> None:
    assert (await client.get("/identity/login")).json()["path"] == "/identity/login"
    assert (await client.get("/education/static/app.css")).json()["service"] == "education"


async def test_unknown_service_is_a_json_404(client) -> None:
    response = await client.get("/api/nowhere/v1/x")
    assert response.status_code == 404
    assert response.json()["error"]["details"] == {"service": "nowhere"}


async def test_dot_segments_are_refused(client, services) -> None:
    response = await client.get("/api/identity/v1/auth/%2E%2E/accounts")
    assert response.status_code == 400
    assert services.seen == []


async def test_service_down_is_a_clear_502(client, services, issue) -> None:
    services.down.add("education")
    response = await client.get("/api/education/v1/classes", headers=bearer(issue()))
    assert response.status_code == 502
    assert response.json()["error"]["code"] == "service_unavailable"
    assert response.json()["error"]["details"]["service"] == "education"


async def test_slow_service_is_a_clear_504(client, services, issue) -> None:
    services.slow.add("education")
    response = await client.get("/api/education/v1/classes", headers=bearer(issue()))
    assert response.status_code == 504
    assert error_code(response) == "upstream_timeout"
    assert response.json()["error"]["details"]["service"] == "education"


async def test_rate_limit_answers_429_with_retry_after_per_client(services, verifier, issue) -> None:
    async with running(services, verifier, rate_limit_per_second=0.5, rate_limit_burst=2) as client:
        token = bearer(issue(subject="busy"))
        statuses = [(await client.get("/api/identity/v1/me", headers=token)).status_code for _ in range(3)]
        assert statuses == [200, 200, 429]
        limited = await client.get("/api/identity/v1/me", headers=token)
        assert error_code(limited) == "rate_limited"
        assert int(limited.headers["retry-after"]) >= 1
        assert (await client.get("/api/identity/v1/me", headers=bearer(issue(subject="calm")))).status_code == 200


async def test_bad_tokens_count_against_the_client_address(services, verifier, tampered, issue) -> None:
    async with running(services, verifier, rate_limit_per_second=0.5, rate_limit_burst=2) as client:
        bad = bearer(tampered(issue()))
        statuses = [(await client.get("/api/identity/v1/me", headers=bad)).status_code for _ in range(3)]
        assert statuses == [401, 401, 429]


async def test_health_is_up_when_every_service_answers(client) -> None:
    body = (await client.get("/healthz")).json()
    assert body["status"] == "up"
    assert {name: s["status"] for name, s in body["services"].items()} == {"identity": "up", "education": "up"}


async def test_health_is_degraded_when_a_service_is_down(client, services) -> None:
    services.down.add("education")
    response = await client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "degraded"
    assert body["services"]["education"]["status"] == "down"
    assert body["services"]["identity"]["status"] == "up"


async def test_readiness_is_the_gateway_itself(client, services) -> None:
    services.down.update({"identity", "education"})
    assert (await client.get("/readyz")).json()["status"] == "up"


async def test_openapi_merges_every_service(client) -> None:
    doc = (await client.get("/openapi.json")).json()
    assert set(doc["paths"]) == {"/api/identity/v1/things", "/api/education/v1/things"}
    assert set(doc["components"]["schemas"]) == {"identity_Thing", "education_Thing"}
    assert "bearerAuth" in doc["components"]["securitySchemes"]


async def test_openapi_lists_a_service_that_is_down(client, services) -> None:
    services.down.add("education")
    doc = (await client.get("/openapi.json")).json()
    assert doc["x-esis-unavailable"] == ["education"]
    assert set(doc["paths"]) == {"/api/identity/v1/things"}


async def test_openapi_documents_are_cached_briefly(client, services) -> None:
    await client.get("/openapi.json")
    fetched = len(services.seen)
    await client.get("/openapi.json")
    assert len(services.seen) == fetched


async def test_docs_page_and_its_assets_work_offline(client) -> None:
    page = await client.get("/docs")
    assert page.status_code == 200
    assert "http://" not in page.text and "https://" not in page.text
    assert "/openapi.json" in page.text
    for asset in ("/docs/assets/swagger-ui-bundle.js", "/docs/assets/swagger-ui.css"):
        assert (await client.get(asset)).status_code == 200, asset


async def test_metrics_count_answers_per_upstream(client, issue) -> None:
    await client.get("/api/education/v1/classes", headers=bearer(issue()))
    metrics = (await client.get("/metrics")).text
    assert 'gateway_upstream_responses_total{service="education",status="200"}' in metrics
    assert 'gateway_upstream_duration_seconds_count{method="GET",service="education"}' in metrics
    # forwarded requests are timed under the catch-all route's template, as every other route under its own
    assert 'http_request_duration_seconds_count{method="GET",route="/{path:path}",service="gateway",status="200"}' \
        in metrics


async def test_a_cookie_set_for_one_caller_is_never_sent_with_another_callers_request(client, services) -> None:
    first = await client.get("/identity/login")  # the service answers with Set-Cookie (a session, say)
    assert first.headers.get_list("set-cookie") == ["a=1", "b=2"]  # the caller gets its cookies
    client.cookies.clear()  # the next request comes from someone else, who has no cookie
    await client.get("/identity/")
    assert "cookie" not in services.last.headers
