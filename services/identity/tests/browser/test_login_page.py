"""Signing in through identity's pages in a real browser: Mongolian first, English on request, on a phone too."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from esis_shared.testing.browser import LiveServer, live_server
from identity.adapters.passwords import Argon2Hasher
from identity.adapters.tokens import generate_dev_key
from identity.bootstrap import bootstrap
from identity.config import Settings
from identity.entrypoints.api.app import build_app
from identity.service_layer.commands import CreateAccount
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser

PASSWORD = "Tsagaan-sar-2026"
WRONG_ERROR_MN = "Нэвтрэх нэр эсвэл нууц үг буруу байна."
ACCOUNTS = {  # one account per test, so failed attempts in one cannot lock another
    "saraa.teacher": "Батын Сараа", "bold.teacher": "Дорж Болд", "tuya.parent": "Ганбат Туяа",
    "nomin.admin": "Очир Номин", "anu.teacher": "Баяр Ану", "oyun.teacher": "Сүх Оюун",
}


@pytest.fixture(scope="module")
def identity(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """identity on a free loopback port with a temporary SQLite database and a few accounts."""
    folder = tmp_path_factory.mktemp("identity")
    generate_dev_key(folder / "signing-key.pem")
    settings = Settings(database_url=f"sqlite:///{folder / 'identity.db'}", kafka_enabled=False, lockout_threshold=3,
                        signing_key_file=str(folder / "signing-key.pem"))
    container = bootstrap(settings, hasher=Argon2Hasher.fast_for_tests(), run_migrations=True)
    for username, name in ACCOUNTS.items():
        container.handle(CreateAccount(actor_id=None, username=username, password=PASSWORD, role="teacher",
                                       display_name=name, org_ids=("school-17",), class_ids=("class-5a",)))
    with live_server(build_app(container)) as server:
        yield server
    container.close()


def sign_in(page: Page, username: str, password: str, *, username_label: str = "Нэвтрэх нэр",
            password_label: str = "Нууц үг", button: str = "Нэвтрэх") -> None:
    page.get_by_label(username_label).fill(username)
    page.get_by_label(password_label).fill(password)
    page.get_by_role("button", name=button).click()


def no_horizontal_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_teacher_signs_in_in_mongolian_then_switches_to_english(page: Page, identity: LiveServer) -> None:
    page.goto(identity.url("/identity/"))
    expect(page).to_have_url(re.compile(r"/identity/login\?next=%2Fidentity%2F$"))
    expect(page.locator("html")).to_have_attribute("lang", "mn")
    expect(page.get_by_role("heading", level=1)).to_have_text("Нэвтрэх")

    sign_in(page, "saraa.teacher", PASSWORD)

    expect(page).to_have_url(identity.url("/identity/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Миний бүртгэл")
    expect(page.get_by_role("heading", name="Батын Сараа")).to_be_visible()
    expect(page.get_by_text("Багш", exact=True)).to_be_visible()

    page.get_by_role("link", name="EN – English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")
    expect(page.get_by_text("Teacher", exact=True)).to_be_visible()
    page.goto(identity.url("/identity/"))  # the choice is remembered without ?lang=
    expect(page.get_by_role("heading", level=1)).to_have_text("My account")


def test_signing_out_ends_the_session(page: Page, identity: LiveServer) -> None:
    page.goto(identity.url("/identity/login"))
    sign_in(page, "anu.teacher", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Миний бүртгэл")

    page.get_by_role("button", name="Гарах").click()

    expect(page.get_by_role("status")).to_contain_text("Та системээс гарлаа.")
    assert not [c for c in page.context.cookies() if c["name"].startswith("esis_")]
    page.goto(identity.url("/identity/"))
    expect(page).to_have_url(re.compile(r"/identity/login\?next="))


def test_an_expired_session_is_renewed_without_asking_again(page: Page, identity: LiveServer) -> None:
    page.goto(identity.url("/identity/login"))
    sign_in(page, "oyun.teacher", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text("Миний бүртгэл")
    kept = [c for c in page.context.cookies() if c["name"] != "esis_session"]  # the access token ran out
    page.context.clear_cookies()
    page.context.add_cookies(kept)  # type: ignore[arg-type]

    page.goto(identity.url("/identity/?tab=scopes"))

    expect(page).to_have_url(identity.url("/identity/?tab=scopes"))
    expect(page.get_by_role("heading", name="Сүх Оюун")).to_be_visible()


def test_a_wrong_password_is_explained_in_mongolian(page: Page, identity: LiveServer) -> None:
    page.goto(identity.url("/identity/login"))
    sign_in(page, "bold.teacher", "Not-the-password-1")

    expect(page.get_by_role("alert")).to_have_text(WRONG_ERROR_MN)
    expect(page.get_by_label("Нэвтрэх нэр")).to_have_value("bold.teacher")
    expect(page.get_by_label("Нууц үг")).to_have_value("")


def test_repeated_failures_lock_the_account_with_a_message_in_english(page: Page, identity: LiveServer) -> None:
    page.goto(identity.url("/identity/login?lang=en"))
    for _ in range(3):
        sign_in(page, "nomin.admin", "Not-the-password-1", username_label="Username", password_label="Password",
                button="Sign in")
    sign_in(page, "nomin.admin", PASSWORD, username_label="Username", password_label="Password", button="Sign in")

    expect(page.get_by_role("alert")).to_contain_text("Too many failed sign-in attempts")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_signing_in_on_a_phone_needs_no_sideways_scrolling(phone_page: Page, identity: LiveServer) -> None:
    phone_page.goto(identity.url("/identity/login"))
    assert no_horizontal_scroll(phone_page)
    phone_page.get_by_label("Нэвтрэх нэр").fill("tuya.parent")
    phone_page.get_by_label("Нууц үг").fill("Not-the-password-1")
    phone_page.get_by_role("button", name="Нэвтрэх").tap()
    expect(phone_page.get_by_role("alert")).to_have_text(WRONG_ERROR_MN)
    assert no_horizontal_scroll(phone_page)

    phone_page.get_by_label("Нууц үг").fill(PASSWORD)
    phone_page.get_by_role("button", name="Нэвтрэх").tap()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Миний бүртгэл")
    expect(phone_page.get_by_role("heading", name="Ганбат Туяа")).to_be_visible()
    assert no_horizontal_scroll(phone_page)


def test_the_form_can_be_used_with_the_keyboard_alone(page: Page, identity: LiveServer) -> None:
    page.goto(identity.url("/identity/login"))
    focused = []
    for _ in range(12):
        page.keyboard.press("Tab")
        focused.append(page.evaluate("(() => { const e = document.activeElement;"
                                     " return e.id || e.getAttribute('type') || e.textContent.trim(); })()"))
        if focused[-1] == "submit":
            break
    assert focused[0] == "Үндсэн агуулга руу шилжих", "the skip link comes first"
    assert focused[-3:] == ["f-username", "f-password", "submit"], focused

    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    page.keyboard.type("saraa.teacher")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Миний бүртгэл")
