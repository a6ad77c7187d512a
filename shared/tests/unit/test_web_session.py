"""Signed-in pages: session cookies, the sign-in redirect (never off-site), static files and error pages."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

import pytest
from esis_shared.api import create_app
from esis_shared.auth import SESSION_COOKIE, Principal, StaticKeyVerifier, jwks_document, sign_access_token
from esis_shared.config import ServiceSettings
from esis_shared.web import page_principal, render, safe_next, set_session, setup_web
from esis_shared.web.session import REFRESH_COOKIE
from fastapi import Depends, FastAPI, Request
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey

ISSUER, AUDIENCE = "esis-identity", "esis"
TEACHER = Principal(subject="acc-1", role="teacher", username="saraa", name="Батын Сараа")


class Tokens:
    def __init__(self, access_token: str, expires_in: int = 900) -> None:
        self.access_token = access_token
        self.refresh_token = "refresh-secret"
        self.expires_in = expires_in
        self.refresh_expires_in = 3600


@pytest.fixture(scope="module")
def key() -> RSAKey:
    return RSAKey.generate_key(2048, private=True)


def access_token(key: RSAKey, ttl_s: int = 900, now: int | None = None) -> str:
    return sign_access_token(TEACHER, key, issuer=ISSUER, audience=AUDIENCE, ttl_s=ttl_s, now=now)


def demo_app(key: RSAKey, profile: str = "dev") -> FastAPI:
    settings = ServiceSettings(service_name="demo", profile=profile)  # type: ignore[arg-type]
    app = create_app(settings, title="demo")
    app.state.token_verifier = StaticKeyVerifier(jwks_document([key]), issuer=ISSUER, audience=AUDIENCE)
    setup_web(app, service="demo", settings=settings)

    @app.get("/demo/private")
    def private(request: Request, who: Annotated[Principal, Depends(page_principal)]):  # noqa: ANN202
        return render(request, "error.html", {"kind": "400"})

    @app.get("/demo/sign-in")
    def sign_in(request: Request):  # noqa: ANN202
        response = render(request, "error.html", {"kind": "400"})
        set_session(response, request, Tokens(access_token(key)))
        return response

    @app.get("/demo/broken")
    def broken(request: Request, who: Annotated[Principal, Depends(page_principal)]):  # noqa: ANN202
        raise RuntimeError("a bug in the page")

    @app.get("/api/demo/v1/missing")
    def api_missing() -> None:
        from esis_shared.errors import NotFound

        raise NotFound("no such thing")

    return app


@pytest.fixture
def client(key: RSAKey) -> Iterator[TestClient]:
    with TestClient(demo_app(key), base_url="http://127.0.0.1") as test_client:
        yield test_client


@pytest.mark.parametrize("target", ["/identity/", "/teacher/journal?class=5a&date=2026-09-01", "/stats/#top"])
def test_a_local_next_is_kept(target: str) -> None:
    assert safe_next(target) == target


@pytest.mark.parametrize("target", [
    "https://evil.example/", "//evil.example/x", "/\\evil.example", "\\\\evil.example", "/\t/evil.example",
    "/\n/evil.example", "javascript:alert(1)", "evil.example/identity/", "", None, "http:/evil.example",
    "/" + "a" * 3000,
])
def test_next_pointing_off_site_is_refused(target: str | None) -> None:
    assert safe_next(target, "/identity/") == "/identity/"


def test_a_page_without_session_redirects_to_sign_in_and_back(client: TestClient) -> None:
    response = client.get("/demo/private?class=5a", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/identity/login?next=%2Fdemo%2Fprivate%3Fclass%3D5a"


def test_a_valid_session_cookie_opens_the_page_and_shows_who_is_signed_in(client: TestClient, key: RSAKey) -> None:
    client.cookies.set(SESSION_COOKIE, access_token(key))
    response = client.get("/demo/private", follow_redirects=False)
    assert response.status_code == 200
    assert "Батын Сараа" in response.text
    assert 'action="/identity/logout"' in response.text and 'name="csrftoken"' in response.text


@pytest.mark.parametrize("bad", ["expired", "forged", "garbage"])
def test_an_unusable_session_cookie_means_signing_in_again(client: TestClient, key: RSAKey, bad: str) -> None:
    other = RSAKey.generate_key(2048, private=True)
    value = {"expired": access_token(key, ttl_s=60, now=1_000_000), "forged": access_token(other),
             "garbage": "not.a.token"}[bad]
    client.cookies.set(SESSION_COOKIE, value)
    response = client.get("/demo/private", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/identity/login?next=")


def test_session_cookies_are_httponly_samesite_and_live_as_long_as_the_token(client: TestClient) -> None:
    cookies = client.get("/demo/sign-in").headers.get_list("set-cookie")
    session = next(c for c in cookies if c.startswith(f"{SESSION_COOKIE}="))
    assert "HttpOnly" in session and "SameSite=lax" in session and "Max-Age=900" in session and "Path=/" in session
    assert "Secure" not in session  # plain http in development
    refresh = [c for c in cookies if c.startswith(f"{REFRESH_COOKIE}=")]
    assert sorted(c.split("Path=")[1].split(";")[0] for c in refresh) == ["/identity/login", "/identity/logout"]
    assert all("HttpOnly" in c for c in refresh)


def test_session_cookies_are_secure_in_production_and_over_https(key: RSAKey, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DEMO_CSRF_SECRET", "a-production-secret")
    production = TestClient(demo_app(key, profile="production"), base_url="http://127.0.0.1")
    over_https = TestClient(demo_app(key), base_url="https://127.0.0.1")
    for test_client in (production, over_https):
        cookies = test_client.get("/demo/sign-in").headers.get_list("set-cookie")
        assert all("Secure" in c for c in cookies if c.startswith(("esis_", "csrftoken"))), cookies


def test_static_files_are_served_locally_with_a_content_version(client: TestClient) -> None:
    page = client.get("/demo/nowhere")
    assert 'href="/demo/static/esis.css?v=' in page.text
    assert "http://" not in page.text and "https://" not in page.text  # nothing from a CDN
    css = client.get("/demo/static/esis.css?v=1")
    assert css.status_code == 200 and css.headers["content-type"].startswith("text/css")
    assert "immutable" in css.headers["cache-control"]
    assert client.get("/demo/static/esis.css").headers["cache-control"] == "no-cache"


def test_pages_are_protected_by_security_headers(client: TestClient, key: RSAKey) -> None:
    client.cookies.set(SESSION_COOKIE, access_token(key))
    headers = client.get("/demo/private").headers
    assert "default-src 'self'" in headers["content-security-policy"]
    assert headers["cache-control"] == "no-store"
    assert headers["x-frame-options"] == "DENY"


def test_a_missing_page_is_an_html_page_while_the_api_keeps_json(client: TestClient) -> None:
    page = client.get("/demo/nowhere")
    assert page.status_code == 404 and page.headers["content-type"].startswith("text/html")
    assert "Хуудас олдсонгүй" in page.text
    api = client.get("/api/demo/v1/missing")
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"


def test_a_page_that_fails_unexpectedly_shows_the_error_page_to_the_signed_in_user(key: RSAKey) -> None:
    with TestClient(demo_app(key), base_url="http://127.0.0.1", raise_server_exceptions=False) as client:
        client.cookies.set(SESSION_COOKIE, access_token(key))
        page = client.get("/demo/broken")
    assert page.status_code == 500 and page.headers["content-type"].startswith("text/html")
    assert "Алдаа гарлаа" in page.text and "a bug in the page" not in page.text
    assert "Батын Сараа" in page.text
