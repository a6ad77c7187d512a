"""CSRF: a page form is accepted only with the token of the page it came from; Bearer API calls are exempt."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from esis_shared.api import create_app
from esis_shared.auth import SESSION_COOKIE
from esis_shared.config import ServiceSettings
from esis_shared.web import render, setup_web
from esis_shared.web.csrf import DEV_SECRET, csrf_secret
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient
from starlette.responses import HTMLResponse

FORM = ('{% extends "base.html" %}{% block content %}<form method="post" action="/demo/form">'
        '{{ csrf_input() }}<label for="n">Name</label><input id="n" name="name"></form>{% endblock %}')


def demo_app(templates: Path) -> FastAPI:
    templates.mkdir(exist_ok=True)
    (templates / "form.html").write_text(FORM, encoding="utf-8")
    settings = ServiceSettings(service_name="demo")
    app = create_app(settings, title="demo")
    setup_web(app, service="demo", templates_dir=templates, settings=settings)
    app.state.posted = posted = []

    @app.get("/demo/form")
    def form(request: Request) -> HTMLResponse:
        return render(request, "form.html")

    @app.post("/demo/form")
    async def submit(request: Request) -> dict[str, bool]:
        posted.append((await request.form()).get("name", ""))
        return {"saved": True}

    @app.post("/demo/upload")
    async def upload(request: Request) -> dict[str, int]:
        form = await request.form()
        content = await form["file"].read()  # type: ignore[union-attr]
        posted.append((form.get("name", ""), content))
        return {"bytes": len(content)}

    @app.post("/api/demo/v1/things")
    def create_thing() -> dict[str, bool]:
        posted.append("api")
        return {"saved": True}

    return app


@pytest.fixture
def app(tmp_path: Path) -> FastAPI:
    return demo_app(tmp_path / "templates")


@pytest.fixture
def client(app: FastAPI) -> TestClient:
    return TestClient(app, base_url="http://127.0.0.1")


def page_token(client: TestClient) -> str:
    """Open the form page as a browser would: it sets the csrftoken cookie and carries the token."""
    match = re.search(r'name="csrftoken" value="([^"]+)"', client.get("/demo/form").text)
    assert match, "no csrftoken field on the page"
    assert client.cookies.get("csrftoken")
    return match.group(1)


def test_a_form_post_without_the_token_is_refused_in_the_visitors_language(app: FastAPI, client: TestClient) -> None:
    page_token(client)  # the browser holds the csrftoken cookie
    response = client.post("/demo/form", data={"name": "Болд"})
    assert response.status_code == 403
    assert "Маягтын хугацаа дууссан байна" in response.text
    assert app.state.posted == []


def test_a_form_post_with_a_wrong_token_is_refused(app: FastAPI, client: TestClient) -> None:
    page_token(client)
    response = client.post("/demo/form", data={"csrftoken": "forged", "name": "Болд"})
    assert response.status_code == 403 and app.state.posted == []


def test_a_form_post_without_any_cookie_is_refused(app: FastAPI, client: TestClient) -> None:
    """Login CSRF: another site must not be able to post our sign-in form for a victim."""
    response = client.post("/demo/form", data={"name": "Болд"})
    assert response.status_code == 403 and app.state.posted == []


def test_a_form_post_with_the_token_of_its_page_is_accepted(app: FastAPI, client: TestClient) -> None:
    token = page_token(client)
    response = client.post("/demo/form", data={"csrftoken": token, "name": "Болд"})
    assert response.status_code == 200
    assert app.state.posted == ["Болд"]


def test_a_bearer_api_call_needs_no_csrf_token(app: FastAPI, client: TestClient) -> None:
    page_token(client)  # even with page cookies in the jar
    response = client.post("/api/demo/v1/things", json={}, headers={"Authorization": "Bearer abc"})
    assert response.status_code == 200 and app.state.posted == ["api"]


def test_an_api_call_without_the_session_cookie_needs_no_csrf_token(app: FastAPI, client: TestClient) -> None:
    client.cookies.set("lang", "en")
    response = client.post("/api/demo/v1/things", json={})
    assert response.status_code == 200 and app.state.posted == ["api"]


def test_an_api_call_riding_on_the_session_cookie_needs_the_csrf_header(app: FastAPI, client: TestClient) -> None:
    token = page_token(client)
    client.cookies.set(SESSION_COOKIE, "an-access-token")  # a browser that signed in on a page
    refused = client.post("/api/demo/v1/things", json={})
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "csrf_failed"
    accepted = client.post("/api/demo/v1/things", json={}, headers={"X-CSRFToken": token})
    assert accepted.status_code == 200 and app.state.posted == ["api"]


def test_every_service_signs_with_one_secret_so_tokens_work_across_services(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESIS_CSRF_SECRET", "platform-wide")
    assert csrf_secret(ServiceSettings(), "teacher") == csrf_secret(ServiceSettings(), "identity") == "platform-wide"
    monkeypatch.delenv("ESIS_CSRF_SECRET")
    assert csrf_secret(ServiceSettings(), "teacher") == DEV_SECRET


def test_production_refuses_the_development_csrf_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ESIS_CSRF_SECRET", raising=False)
    monkeypatch.delenv("TEACHER_CSRF_SECRET", raising=False)
    with pytest.raises(RuntimeError, match="TEACHER_CSRF_SECRET"):
        csrf_secret(ServiceSettings(profile="production"), "teacher")


def multipart(*parts: tuple[str, str | None, bytes]) -> tuple[bytes, dict[str, str]]:
    """A multipart body with its fields in exactly this order: (name, file name or None, content)."""
    boundary, chunks = "esis-test-boundary", []
    for name, filename, content in parts:
        disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
        chunks.append(f"--{boundary}\r\nContent-Disposition: {disposition}\r\n\r\n".encode() + content + b"\r\n")
    body = b"".join(chunks) + f"--{boundary}--\r\n".encode()
    return body, {"Content-Type": f"multipart/form-data; boundary={boundary}"}


SHEET = bytes(range(256)) * 400  # a 100 KiB binary "spreadsheet", read in several chunks


def test_an_upload_form_with_the_token_before_the_file_is_accepted_and_the_file_arrives_whole(
        app: FastAPI, client: TestClient) -> None:
    body, headers = multipart(("csrftoken", None, page_token(client).encode()), ("name", None, "Болд".encode()),
                              ("file", "class-list.xlsx", SHEET))
    response = client.post("/demo/upload", content=body, headers=headers)
    assert response.status_code == 200, response.text
    assert app.state.posted == [("Болд", SHEET)]


@pytest.mark.parametrize("case", ["missing", "wrong", "after the file"])
def test_an_upload_form_without_its_pages_token_first_is_refused_with_the_page(
        app: FastAPI, client: TestClient, case: str) -> None:
    token = page_token(client).encode()
    parts = {"missing": [("file", "x.xlsx", SHEET)],
             "wrong": [("csrftoken", None, b"forged"), ("file", "x.xlsx", SHEET)],
             "after the file": [("file", "x.xlsx", SHEET), ("csrftoken", None, token)]}[case]
    body, headers = multipart(*parts)
    response = client.post("/demo/upload", content=body, headers=headers)
    assert response.status_code == 403
    assert "Маягтын хугацаа дууссан байна" in response.text
    assert app.state.posted == []
