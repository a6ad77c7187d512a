"""hr's pages in headless Chromium: staff list, audited profile, assignments grid with gaps, vacancies."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import pytest
from esis_shared.auth import Principal, StaticKeyVerifier, sign_access_token
from esis_shared.testing.browser import LiveServer, live_server
from hr.bootstrap import bootstrap
from hr.config import Settings
from hr.domain.access import SYSTEM, Actor, Role
from hr.entrypoints.api.app import build_app
from hr.service_layer import commands
from joserfc.jwk import RSAKey
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
SCHOOL, ISSUER, AUDIENCE = "org-school-17", "esis-identity", "esis"
ADMIN = Actor("acc-admin", Role.SCHOOL_ADMIN, frozenset({SCHOOL}))
KEY = RSAKey.generate_key(2048, private=True)


def _seed(bus) -> dict[str, str]:
    bus.handle(commands.SaveOrg(SYSTEM, SCHOOL, "17-р сургууль", "011"))
    bus.handle(commands.SaveClass(SYSTEM, "class-5a", SCHOOL, "2024-2025", "5а", 5, (("math", 5), ("mongolian", 6))))
    bus.handle(commands.SaveClass(SYSTEM, "class-6b", SCHOOL, "2024-2025", "6б", 6, (("math", 5),)))
    ids = {}
    for key, number, name, born, sex in (("bold", "УБ85031512", "Болд", date(1985, 3, 15), "male"),
                                         ("saraa", "ТА92112024", "Сараа", date(1992, 11, 20), "female")):
        post = bus.handle(commands.CreatePosition(ADMIN, SCHOOL, "teacher", "1", "math"))
        person = commands.PersonDetails(number, "Батын", name, born, sex, phone="99112233")
        ids[key] = bus.handle(commands.HireStaff(ADMIN, person, post.id, "1", date(2024, 9, 1))).staff_id
    bus.handle(commands.AssignTeaching(ADMIN, ids["bold"], "class-5a", "math", "2024-2025", 5))
    bus.handle(commands.AssignTeaching(ADMIN, ids["bold"], "class-6b", "math", "2024-2025", 5))
    bus.handle(commands.StartLeave(ADMIN, ids["saraa"], "maternity", date(2024, 10, 1)))
    physics = bus.handle(commands.CreatePosition(ADMIN, SCHOOL, "teacher", "0.5", "physics"))
    bus.handle(commands.OpenVacancy(ADMIN, physics.id, date(2024, 8, 1)))
    bus.handle(commands.LinkAccount(ADMIN, ids["bold"], "acc-bold"))
    return ids


@pytest.fixture(scope="module")
def hr(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LiveServer, dict[str, str]]]:
    folder = tmp_path_factory.mktemp("hr")
    verifier = StaticKeyVerifier({"keys": [KEY.as_dict(private=False)]}, issuer=ISSUER, audience=AUDIENCE)
    settings = Settings(database_url=f"sqlite:///{folder / 'hr.db'}", kafka_enabled=False, grpc_port=None)
    container = bootstrap(settings, verifier=verifier, run_migrations=True)
    ids = _seed(container.bus)
    with live_server(build_app(container)) as server:
        yield server, ids
    container.close()


def sign_in(page: Page, server: LiveServer, subject: str, role: str, *orgs: str) -> None:
    token = sign_access_token(Principal(subject, role, frozenset(orgs), name="Номин"), KEY, issuer=ISSUER,
                              audience=AUDIENCE, ttl_s=600)
    page.context.add_cookies([{"name": "esis_session", "value": token, "url": server.url("/")}])


def test_a_school_admin_sees_who_works_there_in_mongolian_then_english(page: Page, hr) -> None:
    server, _ = hr
    sign_in(page, server, "acc-admin", "school_admin", SCHOOL)
    page.goto(server.url("/hr/staff?as_of=2024-10-15"))

    expect(page.get_by_role("heading", level=1)).to_have_text("Ажилтнууд")
    table = page.get_by_role("table")
    expect(table.get_by_role("row")).to_have_count(3)
    expect(table.get_by_role("row", name="Б.Сараа")).to_contain_text("жирэмсний болон амаржсаны чөлөө")
    expect(table.get_by_role("row", name="Б.Болд")).to_contain_text("Ажилдаа")

    page.get_by_role("link", name="EN – English").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Staff")
    expect(page.get_by_role("row", name="Б.Сараа")).to_contain_text("maternity leave")


def test_opening_a_profile_asks_why_and_the_person_then_sees_the_read(page: Page, hr) -> None:
    server, ids = hr
    sign_in(page, server, "acc-admin", "school_admin", SCHOOL)
    page.goto(server.url(f"/hr/staff?org_id={SCHOOL}&as_of=2024-10-15"))
    page.get_by_role("link", name="Б.Болд").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Ажилтны бүртгэл")
    page.get_by_label("Зорилго").fill("гэрээ сунгах")
    page.get_by_role("button", name="Бүртгэлийг нээх").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Батын Болд")
    expect(page.get_by_text("УБ85031512")).to_be_visible()

    teacher = page.context.browser.new_context()
    own = teacher.new_page()
    sign_in(own, server, "acc-bold", "teacher", SCHOOL)
    own.goto(server.url("/hr/"))
    expect(own).to_have_url(server.url(f"/hr/staff/{ids['bold']}"))
    expect(own.get_by_role("region", name="Энэ бүртгэлийг хэн үзсэн")).to_contain_text("гэрээ сунгах")
    expect(own.get_by_text("acc-admin")).to_be_visible()
    teacher.close()


def test_the_assignments_grid_shows_teachers_hours_and_highlights_gaps(page: Page, hr) -> None:
    server, _ = hr
    sign_in(page, server, "acc-admin", "school_admin", SCHOOL)
    page.goto(server.url("/hr/assignments?as_of=2024-10-15"))

    expect(page.get_by_role("status")).to_contain_text("1")
    row_5a = page.get_by_role("row", name="5а")
    expect(row_5a.get_by_role("cell").nth(0)).to_contain_text("Б.Болд")
    expect(row_5a.get_by_role("cell").nth(0)).to_contain_text("долоо хоногт 5 цаг")
    expect(row_5a.get_by_role("cell").nth(1)).to_contain_text("Багшгүй")
    expect(page.get_by_role("row", name="6б").get_by_role("cell").nth(1)).to_contain_text("—")


def test_vacancies_are_listed_with_their_status(page: Page, hr) -> None:
    server, _ = hr
    sign_in(page, server, "acc-admin", "school_admin", SCHOOL)
    page.goto(server.url("/hr/vacancies?lang=en"))
    row = page.get_by_role("row", name="physics")
    expect(row).to_contain_text("Open")
    expect(row).to_contain_text("0.50")


def test_another_schools_admin_gets_the_no_access_page(page: Page, hr) -> None:
    server, ids = hr
    sign_in(page, server, "acc-other", "school_admin", "org-school-99")
    response = page.goto(server.url(f"/hr/staff/{ids['bold']}?purpose=curious"))
    assert response is not None and response.status == 403


def test_the_grid_fits_a_phone_by_scrolling_inside_its_box(phone_page: Page, hr) -> None:
    server, _ = hr
    sign_in(phone_page, server, "acc-admin", "school_admin", SCHOOL)
    phone_page.goto(server.url("/hr/assignments?as_of=2024-10-15"))
    expect(phone_page.get_by_role("table")).to_be_visible()
    assert phone_page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_signing_in_is_required(page: Page, hr) -> None:
    server, _ = hr
    page.goto(server.url("/hr/staff"))
    assert "/identity/login" in page.url
