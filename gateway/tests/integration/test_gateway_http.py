"""The gateway process in front of a real upstream on loopback: auth, roles, limits, failures, health."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time

import httpx
import pytest

pytestmark = pytest.mark.integration
TRACE_ID = "0af7651916cd43dd8448eb211c80319c"


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_valid_token_reaches_the_service_with_request_id_and_trace(gateway_url, issue) -> None:
    headers = {**bearer(issue(role="teacher", subject="t-1")), "X-Request-ID": "it-req-1",
               "traceparent": f"00-{TRACE_ID}-b7ad6b7169203331-01"}
    response = httpx.get(f"{gateway_url}/api/identity/v1/me", headers=headers)
    assert response.status_code == 200
    body = response.json()
    assert (body["subject"], body["role"]) == ("t-1", "teacher")
    assert body["headers"]["x-request-id"] == "it-req-1"
    assert body["headers"]["traceparent"].split("-")[1] == TRACE_ID
    assert body["headers"]["x-forwarded-for"] == "127.0.0.1"
    assert response.headers["x-request-id"] == "it-req-1"


@pytest.mark.parametrize("kind", ["missing", "wrong", "expired", "tampered"])
def test_bad_or_missing_tokens_are_refused_with_401(gateway_url, issue, tampered, kind) -> None:
    from joserfc.jwk import RSAKey

    tokens = {
        "missing": None,
        "wrong": issue(key=RSAKey.generate_key(2048, private=True)),
        "expired": issue(now=int(time.time()) - 3600, ttl_s=60),
        "tampered": tampered(issue()),
    }
    token = tokens[kind]
    response = httpx.get(f"{gateway_url}/api/identity/v1/me", headers=bearer(token) if token else {})
    assert response.status_code == 401
    assert response.json()["error"]["code"] in ("not_authenticated", "invalid_token", "token_expired")


def test_out_of_scope_role_is_refused_with_403(gateway_url, issue) -> None:
    refused = httpx.get(f"{gateway_url}/api/identity/v1/accounts", headers=bearer(issue(role="parent")))
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    allowed = httpx.get(f"{gateway_url}/api/identity/v1/accounts", headers=bearer(issue(role="ministry")))
    assert allowed.status_code == 200


def test_flooding_client_gets_429_with_retry_after(gateway_factory, issue) -> None:
    url = gateway_factory(GATEWAY_RATE_LIMIT_PER_SECOND="0.5", GATEWAY_RATE_LIMIT_BURST="3")
    headers = bearer(issue(subject="flood"))
    with httpx.Client() as client:
        responses = [client.get(f"{url}/api/identity/v1/me", headers=headers) for _ in range(4)]
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert responses[-1].json()["error"]["code"] == "rate_limited"
    assert int(responses[-1].headers["Retry-After"]) >= 1


def test_service_down_is_502(gateway_url, issue) -> None:
    response = httpx.get(f"{gateway_url}/api/education/v1/classes", headers=bearer(issue()))
    assert response.status_code == 502
    error = response.json()["error"]
    assert error["code"] == "service_unavailable"
    assert error["details"]["service"] == "education"


def test_slow_service_is_504(gateway_url, issue) -> None:
    started = time.monotonic()
    response = httpx.get(f"{gateway_url}/api/identity/v1/slow", headers=bearer(issue()), timeout=10)
    assert response.status_code == 504
    assert response.json()["error"]["code"] == "upstream_timeout"
    assert time.monotonic() - started < 5.5  # the upstream answers after 6 s: the gateway gave up at its read timeout


def test_health_is_degraded_while_one_service_is_down(gateway_url) -> None:
    body = httpx.get(f"{gateway_url}/healthz").json()
    assert body["status"] == "degraded"
    assert body["services"]["identity"]["status"] == "up"
    assert body["services"]["education"]["status"] == "down"


def test_large_bodies_stream_through(gateway_url, issue) -> None:
    payload = os.urandom(3 * 1024 * 1024)

    def chunks():
        for start in range(0, len(payload), 64 * 1024):
            yield payload[start:start + 64 * 1024]

    response = httpx.post(f"{gateway_url}/api/identity/v1/uploads", content=chunks(), headers=bearer(issue()),
                          timeout=30)
    assert response.json() == {"sha256": hashlib.sha256(payload).hexdigest(), "size": len(payload)}


def test_pages_need_no_gateway_token_and_docs_are_merged(gateway_url) -> None:
    assert httpx.get(f"{gateway_url}/identity/login").json() == {"page": "login"}
    doc = httpx.get(f"{gateway_url}/openapi.json").json()
    assert "/api/identity/v1/me" in doc["paths"]
    assert doc["x-esis-unavailable"] == ["education"]
    assert httpx.get(f"{gateway_url}/docs").status_code == 200


def test_production_profile_refuses_development_settings() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GATEWAY_")}
    env.update({"GATEWAY_PROFILE": "production", "GATEWAY_LOG_JSON": "false"})
    done = subprocess.run([sys.executable, "-m", "gateway"], env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "refusing to start in the production profile" in done.stderr
    assert "GATEWAY_JWKS_URL is a development address" in done.stderr
