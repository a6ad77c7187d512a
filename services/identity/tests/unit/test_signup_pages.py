"""The sign-up pages without JavaScript: form, SMS code, verification, landing on the parent portal."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from esis_shared.auth import SESSION_COOKIE
from fastapi.testclient import TestClient
from identity.adapters.orm import amqp_outbox
from identity.bootstrap import Container
from identity.entrypoints.api.app import build_app
from sqlalchemy import select

PHONE = "88112233"


@pytest.fixture
def browser(container: Container) -> Iterator[TestClient]:
    with TestClient(build_app(container), base_url="https://testserver") as test_client:
        yield test_client


def csrf(html: str) -> str:
    found = re.search(r'name="csrftoken" value="([^"]+)"', html)
    assert found, html
    return found.group(1)


def code_sent(container: Container) -> str:
    with container.engine.connect() as conn:
        text = conn.execute(select(amqp_outbox.c.payload).order_by(amqp_outbox.c.seq.desc())).first()[0]["text"]
    return re.search(r"\d{6}", text).group(0)  # type: ignore[union-attr]


def test_the_sign_in_page_links_to_sign_up(browser) -> None:
    page = browser.get("/identity/login").text
    assert 'href="/identity/signup"' in page and "Бүртгүүлэх" in page


def test_a_guardian_signs_up_and_lands_on_the_parent_portal(browser, container) -> None:
    form = browser.get("/identity/signup")
    assert "Эцэг эх, асран хамгаалагчаар бүртгүүлэх" in form.text

    verify = browser.post("/identity/signup", data={"csrftoken": csrf(form.text), "display_name": "Д. Сараа",
                                                    "phone": PHONE, "password": "Saraa-garden-77"})
    assert verify.status_code == 200 and "SMS-ээр ирсэн код" in verify.text

    landed = browser.post("/identity/signup/verify", follow_redirects=False,
                          data={"csrftoken": csrf(verify.text), "phone": PHONE, "code": code_sent(container)})

    assert landed.status_code == 303 and landed.headers["location"] == "/parent/claim"
    assert browser.cookies.get(SESSION_COOKIE)


def test_a_wrong_code_is_shown_beside_the_code_field(browser, container) -> None:
    form = browser.get("/identity/signup")
    verify = browser.post("/identity/signup", data={"csrftoken": csrf(form.text), "display_name": "Д. Сараа",
                                                    "phone": PHONE, "password": "Saraa-garden-77"})
    wrong = "000000" if code_sent(container) != "000000" else "111111"

    again = browser.post("/identity/signup/verify", data={"csrftoken": csrf(verify.text), "phone": PHONE,
                                                          "code": wrong})

    assert again.status_code == 422 and "Код буруу" in again.text


def test_english_and_a_bad_phone_named_on_the_form(browser) -> None:
    form = browser.get("/identity/signup?lang=en")
    answer = browser.post("/identity/signup", data={"csrftoken": csrf(form.text), "display_name": "Saraa",
                                                    "phone": "123", "password": "Saraa-garden-77"})
    assert answer.status_code == 422 and "Enter a Mongolian mobile number" in answer.text
