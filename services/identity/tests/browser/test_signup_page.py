"""A guardian signs up on a phone in a real browser: name, number, password, the SMS code, and lands on the
parent portal's claim form. identity and the parent portal run side by side on one origin, as behind the gateway;
the code is read from what identity hands to notify (its AMQP outbox), as the SMS would carry it."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from esis_shared.testing.browser import LiveServer, live_server
from identity.adapters.orm import amqp_outbox
from identity.adapters.passwords import Argon2Hasher
from identity.adapters.tokens import generate_dev_key
from identity.bootstrap import Container, bootstrap
from identity.config import Settings
from identity.entrypoints.api.app import build_app
from playwright.sync_api import Page, expect
from sqlalchemy import select

pytestmark = pytest.mark.browser
PHONE = "80112233"


def one_origin(identity_app: Any, parent_app: Any) -> Any:
    """``/parent…`` to the parent portal, everything else (and the lifespan) to identity — the gateway's split."""

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "lifespan" and scope["path"].startswith("/parent"):
            await parent_app(scope, receive, send)
        else:
            await identity_app(scope, receive, send)

    return app


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, Container]]:
    from esis_shared.db import migrate
    from parent.bootstrap import MIGRATIONS_DIR as PARENT_MIGRATIONS
    from parent.bootstrap import bootstrap as parent_bootstrap
    from parent.config import Settings as ParentSettings
    from parent.entrypoints.api.app import build_app as parent_app

    folder: Path = tmp_path_factory.mktemp("signup")
    generate_dev_key(folder / "signing-key.pem")
    identity = bootstrap(Settings(database_url=f"sqlite:///{folder / 'identity.db'}", kafka_enabled=False,
                                  amqp_enabled=False, signing_key_file=str(folder / "signing-key.pem")),
                         hasher=Argon2Hasher.fast_for_tests(), run_migrations=True)
    parent_url = f"sqlite:///{folder / 'parent.db'}"
    migrate(parent_url, PARENT_MIGRATIONS)
    parent = parent_bootstrap(ParentSettings(database_url=parent_url, kafka_enabled=False, amqp_enabled=False,
                                             grpc_port=None), verifier=identity.verifier)
    with live_server(one_origin(build_app(identity), parent_app(parent))) as server:
        yield server, identity
    parent.close()
    identity.close()


def sms_code(identity: Container) -> str:
    with identity.engine.connect() as conn:
        text = conn.execute(select(amqp_outbox.c.payload).order_by(amqp_outbox.c.seq.desc())).first()[0]["text"]
    return re.search(r"\d{6}", text).group(0)  # type: ignore[union-attr]


def test_a_guardian_signs_up_on_a_phone_and_lands_on_the_claim_form(phone_page: Page, site) -> None:
    server, identity = site
    phone_page.goto(server.url("/identity/login"))
    phone_page.get_by_role("link", name="Бүртгүүлэх").click()

    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Эцэг эх, асран хамгаалагчаар бүртгүүлэх")
    phone_page.get_by_label("Таны нэр").fill("Д. Сараа")
    phone_page.get_by_label("Гар утасны дугаар").fill("8011 2233")
    phone_page.get_by_label("Нууц үг").fill("Saraa-garden-77")
    phone_page.get_by_role("button", name="Код илгээх").click()

    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Код оруулах")
    phone_page.get_by_label("SMS-ээр ирсэн код").fill("000000" if sms_code(identity) != "000000" else "111111")
    phone_page.get_by_role("button", name="Баталгаажуулж нэвтрэх").click()
    expect(phone_page.get_by_role("alert")).to_contain_text("Код буруу")

    phone_page.get_by_label("SMS-ээр ирсэн код").fill(sms_code(identity))
    phone_page.get_by_role("button", name="Баталгаажуулж нэвтрэх").click()

    expect(phone_page).to_have_url(server.url("/parent/claim"))
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Хүүхэд нэмэх")
    expect(phone_page.get_by_role("button", name="Гарах")).to_be_visible()  # signed in
    expect(phone_page.locator("input[name=learner_register_number]")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
