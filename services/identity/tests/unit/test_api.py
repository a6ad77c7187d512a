"""The JSON API as a client sees it: status codes, the shared error shape, tokens that work on /me."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from esis_shared.auth import SESSION_COOKIE, StaticKeyVerifier
from fastapi.testclient import TestClient
from identity.bootstrap import Container
from identity.entrypoints.api.app import build_app

API = "/api/identity/v1"
PASSWORD = "Correct-horse-42"  # the seed fixture's password
Seeder = Callable[..., Any]


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(build_app(container)) as test_client:
        yield test_client


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post(f"{API}/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def test_login_then_me_with_the_access_token(client: TestClient, seed: Seeder) -> None:
    seed("b.saruul", "teacher", orgs=("school-1",), classes=("5a",))
    body = client.post(f"{API}/auth/login", json={"username": "b.saruul", "password": PASSWORD}).json()
    assert set(body) == {"access_token", "refresh_token", "token_type", "expires_in", "refresh_expires_in"}
    me = client.get(f"{API}/me", headers={"Authorization": f"Bearer {body['access_token']}"}).json()
    assert (me["username"], me["role"], me["org_ids"], me["class_ids"], me["status"]) == (
        "b.saruul", "teacher", ["school-1"], ["5a"], "active")


def test_me_accepts_the_session_cookie_of_the_pages(client: TestClient, seed: Seeder) -> None:
    seed("bold", "ministry")
    token = sign_in(client, "bold")["Authorization"].split()[1]
    client.cookies.set(SESSION_COOKIE, token)
    assert client.get(f"{API}/me").json()["username"] == "bold"


def test_me_without_a_token_is_401_in_the_shared_error_shape(client: TestClient) -> None:
    response = client.get(f"{API}/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_lockout_is_423_with_mongolian_message_and_retry_after(client: TestClient, seed: Seeder) -> None:
    seed("bold", "ministry")
    for _ in range(4):
        wrong = client.post(f"{API}/auth/login", json={"username": "bold", "password": "Wrong-pass-123"})
        assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "invalid_credentials"
    locked = client.post(f"{API}/auth/login", json={"username": "bold", "password": "Wrong-pass-123"})
    assert locked.status_code == 423
    error = locked.json()["error"]
    assert error["code"] == "account_locked"
    assert error["message"] == "Too many failed sign-in attempts. Try again in 15 minutes."
    assert error["details"]["message_mn"].startswith("Нэвтрэх оролдлого хэт олон удаа амжилтгүй боллоо.")
    assert int(locked.headers["Retry-After"]) > 14 * 60


def test_refresh_rotation_and_reuse_over_http(client: TestClient, seed: Seeder) -> None:
    seed("bold", "ministry")
    first = client.post(f"{API}/auth/login", json={"username": "bold", "password": PASSWORD}).json()
    second = client.post(f"{API}/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert second.status_code == 200
    replay = client.post(f"{API}/auth/refresh", json={"refresh_token": first["refresh_token"]})
    assert replay.status_code == 401 and replay.json()["error"]["code"] == "refresh_token_reused"


def test_logout_is_204_and_the_refresh_token_stops_working(client: TestClient, seed: Seeder) -> None:
    seed("bold", "ministry")
    tokens = client.post(f"{API}/auth/login", json={"username": "bold", "password": PASSWORD}).json()
    assert client.post(f"{API}/auth/logout", json={"refresh_token": tokens["refresh_token"]}).status_code == 204
    again = client.post(f"{API}/auth/refresh", json={"refresh_token": tokens["refresh_token"]})
    assert again.json()["error"]["code"] == "invalid_refresh_token"


def test_jwks_is_served_at_both_addresses_and_verifies_issued_tokens(client: TestClient, seed: Seeder) -> None:
    jwks = client.get(f"{API}/jwks")
    assert jwks.json() == client.get("/.well-known/jwks.json").json()
    assert "max-age" in jwks.headers["cache-control"]
    (key,) = jwks.json()["keys"]
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig") and "d" not in key
    seed("bold", "ministry")
    token = sign_in(client, "bold")["Authorization"].split()[1]
    verifier = StaticKeyVerifier(jwks.json(), issuer="esis-identity", audience="esis")
    assert verifier.verify(token).username == "bold"


def test_school_admin_creates_a_teacher_over_http_but_not_for_another_school(client: TestClient,
                                                                             seed: Seeder) -> None:
    seed("admin.s1", "school_admin", orgs=("school-1",))
    headers = sign_in(client, "admin.s1")
    teacher = {"username": "t.bold", "password": "Teacher-pass-77", "role": "teacher", "org_ids": ["school-1"]}
    created = client.post(f"{API}/accounts", json=teacher, headers=headers)
    assert created.status_code == 201
    assert created.headers["location"] == f"{API}/accounts/{created.json()['id']}"
    refused = client.post(f"{API}/accounts", json={**teacher, "username": "t.other", "org_ids": ["school-2"]},
                          headers=headers)
    assert refused.status_code == 403
    assert refused.json()["error"]["details"]["orgs_outside_scope"] == ["school-2"]
    assert refused.json()["error"]["details"]["message_mn"]


def test_validation_errors_name_the_field(client: TestClient, seed: Seeder) -> None:
    seed("bold", "ministry")
    headers = sign_in(client, "bold")
    weak = client.post(f"{API}/accounts", headers=headers,
                       json={"username": "new.one", "password": "short", "role": "ministry"})
    assert weak.status_code == 422
    assert weak.json()["error"]["details"]["fields"][0]["field"] == "password"
    bad_role = client.post(f"{API}/accounts", headers=headers,
                           json={"username": "new.one", "password": "Long-enough-1", "role": "king"})
    assert bad_role.status_code == 422 and bad_role.json()["error"]["details"]["fields"][0]["field"] == "role"
    taken = client.post(f"{API}/accounts", headers=headers,
                        json={"username": "bold", "password": "Long-enough-1", "role": "ministry"})
    assert taken.status_code == 409 and taken.json()["error"]["code"] == "username_taken"


def test_account_admin_routes_round_trip(client: TestClient, seed: Seeder) -> None:
    seed("admin.s1", "school_admin", orgs=("school-1",))
    teacher = seed("teach", "teacher", orgs=("school-1",))
    headers = sign_in(client, "admin.s1")
    url = f"{API}/accounts/{teacher.id}"
    assert client.get(url, headers=headers).json()["username"] == "teach"
    scoped = client.patch(f"{url}/scopes", json={"class_ids": ["5a"]}, headers=headers).json()
    assert scoped["class_ids"] == ["5a"] and scoped["org_ids"] == ["school-1"]
    assert client.post(f"{url}/lock", headers=headers).json()["status"] == "locked"
    assert client.post(f"{url}/unlock", headers=headers).json()["status"] == "active"
    assert client.post(f"{url}/disable", headers=headers).json()["status"] == "disabled"
    listing = client.get(f"{API}/accounts", params={"role": "teacher"}, headers=headers).json()
    assert listing["total"] == 1 and listing["items"][0]["status"] == "disabled"


def test_teacher_gets_403_on_account_administration(client: TestClient, seed: Seeder) -> None:
    seed("teach", "teacher", orgs=("school-1",))
    response = client.get(f"{API}/accounts", headers=sign_in(client, "teach"))
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_unknown_account_is_404(client: TestClient, seed: Seeder) -> None:
    seed("bold", "ministry")
    response = client.get(f"{API}/accounts/nope", headers=sign_in(client, "bold"))
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"


def test_probes_and_openapi(client: TestClient) -> None:
    assert client.get("/healthz").json()["status"] == "up"
    assert client.get("/readyz").json()["checks"] == {"database": "up"}
    paths = client.get("/openapi.json").json()["paths"]
    assert {f"{API}/auth/login", f"{API}/jwks", f"{API}/me", f"{API}/accounts"} <= set(paths)
