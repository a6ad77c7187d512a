"""End to end: the real identity service behind the real gateway, each its own process on loopback.

Sign in through the gateway, call /api/identity/v1/me with the token identity issued (the gateway verifies
it against identity's JWKS), create a parent account as the bootstrap administrator, and watch the gateway's
coarse role rule keep that parent out of account management.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from esis_shared.testing.processes import free_port, start_module
from identity.config import DEV_BOOTSTRAP_ADMIN_PASSWORD

pytestmark = pytest.mark.integration
ADMIN = {"username": "admin", "password": DEV_BOOTSTRAP_ADMIN_PASSWORD}




@pytest.fixture(scope="module")
def identity_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    db = Path(tmp_path_factory.mktemp("identity")) / "identity.db"
    port = free_port()
    server = start_module("identity", port, {
        "IDENTITY_HTTP_PORT": str(port), "IDENTITY_GRPC_PORT": str(free_port()),
        "IDENTITY_DATABASE_URL": f"sqlite:///{db}", "IDENTITY_KAFKA_ENABLED": "false",
        "IDENTITY_LOG_JSON": "false"})
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.stop()


@pytest.fixture(scope="module")
def gateway(identity_url: str) -> Iterator[httpx.Client]:
    port = free_port()
    server = start_module("gateway", port, {
        "GATEWAY_HTTP_PORT": str(port), "GATEWAY_SERVICE_URLS": json.dumps({"identity": identity_url}),
        "GATEWAY_JWKS_URL": f"{identity_url}/api/identity/v1/jwks", "GATEWAY_LOG_JSON": "false"})
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            yield client
    finally:
        server.stop()


def login(gateway: httpx.Client, credentials: dict[str, str]) -> dict[str, str]:
    response = gateway.post("/api/identity/v1/auth/login", json=credentials)
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_signed_in_user_reaches_me_through_the_gateway(gateway: httpx.Client) -> None:
    admin = login(gateway, ADMIN)
    me = gateway.get("/api/identity/v1/me", headers={**admin, "X-Request-ID": "e2e-me-1"})
    assert me.status_code == 200, me.text
    assert me.json()["username"] == "admin"
    assert me.headers["x-request-id"] == "e2e-me-1"


def test_gateway_refuses_me_without_or_with_a_forged_token(gateway: httpx.Client) -> None:
    assert gateway.get("/api/identity/v1/me").status_code == 401
    token = login(gateway, ADMIN)["Authorization"]
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert gateway.get("/api/identity/v1/me", headers={"Authorization": forged}).status_code == 401


def test_a_parent_is_kept_out_of_account_management_by_the_gateway(gateway: httpx.Client) -> None:
    admin = login(gateway, ADMIN)
    parent = {"username": "e2e.parent", "password": "Nomin-2024-home", "role": "parent",
              "org_ids": ["org-e2e-school"], "child_ids": ["lrn-e2e-1"]}
    created = gateway.post("/api/identity/v1/accounts", json=parent, headers=admin)
    assert created.status_code == 201, created.text
    parent_auth = login(gateway, {"username": parent["username"], "password": parent["password"]})
    refused = gateway.get("/api/identity/v1/accounts", headers=parent_auth)
    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "forbidden"
    assert gateway.get("/api/identity/v1/accounts", headers=admin).status_code == 200


def test_health_and_merged_docs_include_identity(gateway: httpx.Client) -> None:
    health = gateway.get("/healthz").json()
    assert health == {"status": "up", "service": "gateway", "services": health["services"]}
    assert health["services"]["identity"]["status"] == "up"
    doc = gateway.get("/openapi.json").json()
    assert "/api/identity/v1/me" in doc["paths"]
    assert doc["paths"]["/api/identity/v1/auth/login"]["post"]["security"] == []
    assert doc["x-esis-unavailable"] == []
    for ref in _refs(doc):
        kind, name = ref.removeprefix("#/components/").split("/")
        assert name in doc["components"][kind], ref


def _refs(node: object) -> Iterator[str]:
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for item in node:
            yield from _refs(item)
