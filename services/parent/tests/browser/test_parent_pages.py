"""The parent portal in headless Chromium at phone size: what a guardian sees and does, in Mongolian."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

import pytest
from esis_shared.testing.browser import LiveServer, live_server
from parent.domain.growth import Measurement
from parent.domain.school import AttendanceEntry, ClassInfo, Grade, Homework, Lesson, Mark, SchoolInfo
from parent.entrypoints.api.app import build_app
from parent.service_layer.handlers import projections as p
from parent.service_layer.handlers.claims import ClaimChild, claim_child
from playwright.sync_api import Page, expect

from ..unit.apptools import container, token
from ..unit.conftest import MOTHER, claim

pytestmark = pytest.mark.browser
TODAY = date(2026, 11, 30)


def _seed(deps) -> None:
    claim_child(ClaimChild(MOTHER.subject, claim()), deps)
    claim_child(ClaimChild(MOTHER.subject, claim("УБ21251005")), deps)
    with deps.uow() as uow:
        p.school_created(uow, SchoolInfo("sch-1", "Улаанбаатар 1-р сургууль", "UB-001"))
        p.class_opened(uow, ClassInfo("cls-5b", "sch-1", "2026-2027", "5", "Б"))
        p.attendance_marked(uow, [AttendanceEntry("lrn-bat", TODAY, 0, "unexcused", "unexcused_absence"),
                                  AttendanceEntry("lrn-bat", TODAY - timedelta(days=3), 0, "late", "present")], deps)
        p.mark_recorded(uow, Mark("asm-1", "lrn-bat", "math", "2026-2027", 1, "Бие даалт", TODAY, Decimal(92)))
        p.grade_published(uow, Grade("lrn-bat", "math", "2025-2026", 0, Decimal(88), "secondary", "B"))
        p.homework_assigned(uow, Homework("hw-1", "cls-5b", "math", TODAY, TODAY + timedelta(days=2), "Бодлого 1-5"),
                            deps)
        p.timetable_published(uow, "cls-5b", [Lesson(1, 1, "MONG"), Lesson(1, 2, "MATH", "204"), Lesson(5, 6, "ART")])
        for months, height, weight in ((36, "95.1", "13.9"), (42, "98.5", "14.8"), (48, "101.0", "15.6")):
            day = date(2021, 5, 10) + timedelta(days=int(months * 30.4375))
            p.growth_measured(uow, Measurement(f"gm-{months}", "lrn-sarnai", day, Decimal(height), Decimal(weight)))
        uow.commit()


@pytest.fixture(scope="module")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    built = container(tmp_path_factory.mktemp("parent"))
    _seed(built.deps)
    with live_server(build_app(built)) as server:
        yield server
    built.close()


def sign_in(page: Page, server: LiveServer) -> None:
    page.context.add_cookies([{"name": "esis_session", "value": token(MOTHER), "url": server.url("/")}])


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_on_a_phone_the_guardian_sees_todays_absence_first(phone_page: Page, portal) -> None:
    sign_in(phone_page, portal)
    phone_page.goto(portal.url("/parent/"))

    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Миний хүүхдүүд")
    bat = phone_page.get_by_role("listitem").filter(has_text="Бат")
    expect(bat).to_contain_text("Чөлөөгүй тасалсан")
    no_sideways_scroll(phone_page)

    bat.get_by_role("link").click()
    expect(phone_page.get_by_role("heading", level=1)).to_contain_text("Бат")
    expect(phone_page.get_by_text("Бодлого 1-5")).to_be_visible()
    expect(phone_page.get_by_text("92%")).to_be_visible()
    no_sideways_scroll(phone_page)


def test_the_calendar_shows_the_month_and_the_switcher_keeps_the_tab(phone_page: Page, portal) -> None:
    sign_in(phone_page, portal)
    phone_page.goto(portal.url("/parent/children/lrn-bat/attendance"))

    calendar = phone_page.get_by_role("table")
    expect(calendar.locator("td[aria-current=date]")).to_contain_text("Чөлөөгүй тасалсан")
    expect(calendar).to_contain_text("Хоцорсон")
    expect(phone_page.get_by_text("Хоцорсон: 1")).to_be_visible()
    no_sideways_scroll(phone_page)

    phone_page.get_by_role("navigation", name="Хүүхдүүд").get_by_role("link", name="Сарнай").click()
    expect(phone_page).to_have_url(portal.url("/parent/children/lrn-sarnai/attendance"))


def test_growth_is_a_chart_with_who_z_scores(phone_page: Page, portal) -> None:
    sign_in(phone_page, portal)
    phone_page.goto(portal.url("/parent/children/lrn-sarnai/growth"))

    expect(phone_page.get_by_role("img", name="Насны өндөр")).to_be_visible()
    expect(phone_page.get_by_role("img", name="Насны жин")).to_be_visible()
    expect(phone_page.get_by_role("table")).to_contain_text("WHO 2006")
    expect(phone_page.get_by_role("table")).to_contain_text("Хэвийн")
    no_sideways_scroll(phone_page)


def test_a_wrong_claim_is_refused_without_saying_why(phone_page: Page, portal) -> None:
    sign_in(phone_page, portal)
    phone_page.goto(portal.url("/parent/claim"))
    phone_page.get_by_label("Хүүхдийн регистрийн дугаар").fill("ХО09123456")
    phone_page.get_by_label("Таны нэр").fill("Оюун")
    phone_page.get_by_label("Таны утасны дугаар").fill("99112233")
    phone_page.get_by_role("button", name="Шалгаад нэмэх").click()

    expect(phone_page.get_by_role("alert")).to_contain_text("баталгаажуулж чадсангүй")
    expect(phone_page.get_by_label("Хүүхдийн регистрийн дугаар")).to_have_value("ХО09123456")


def test_settings_choose_sms_first_and_keep_it(phone_page: Page, portal) -> None:
    sign_in(phone_page, portal)
    phone_page.goto(portal.url("/parent/settings"))
    phone_page.get_by_label("SMS авах утас").fill("99112233")
    phone_page.get_by_role("button", name="Хадгалах").first.click()
    expect(phone_page.get_by_role("status")).to_contain_text("Хадгаллаа.")

    phone_page.get_by_label("Эхлээд").select_option("sms")
    phone_page.get_by_label("Дараа нь").select_option("email")
    phone_page.get_by_label("Сүүлд").select_option("")
    phone_page.get_by_role("button", name="Хадгалах").last.click()

    expect(phone_page.get_by_role("status")).to_contain_text("Хадгаллаа.")
    expect(phone_page.get_by_label("Эхлээд")).to_have_value("sms")
    expect(phone_page.get_by_label("SMS авах утас")).to_have_value("99112233")
    no_sideways_scroll(phone_page)


def test_writing_to_the_teacher_opens_the_conversation(phone_page: Page, portal) -> None:
    sign_in(phone_page, portal)
    phone_page.goto(portal.url("/parent/children/lrn-bat/messages"))
    phone_page.get_by_label("Сэдэв", exact=True).fill("Гэрийн даалгавар")
    phone_page.locator("#f-text").fill("Маргаашийн даалгаврыг тодруулж өгнө үү.")
    phone_page.get_by_role("button", name="Илгээх", exact=True).click()

    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Гэрийн даалгавар")
    expect(phone_page.get_by_role("listitem").filter(has_text="тодруулж")).to_be_visible()


def test_the_timetable_shows_each_lesson_in_its_day_and_period(phone_page: Page, portal) -> None:
    sign_in(phone_page, portal)
    phone_page.goto(portal.url("/parent/children/lrn-bat/timetable"))

    expect(phone_page.get_by_role("heading", name="7 хоногийн хуваарь")).to_be_visible()
    rows = phone_page.get_by_role("region", name="7 хоногийн хуваарь").get_by_role("row")
    expect(rows).to_have_count(4)  # the day names, then periods 1, 2 and 6
    expect(rows.nth(2)).to_contain_text("MATH 204")
    expect(rows.nth(3).get_by_role("cell").nth(4)).to_have_text("ART")  # Friday
    no_sideways_scroll(phone_page)


def test_a_guessed_child_address_shows_not_found(phone_page: Page, portal) -> None:
    sign_in(phone_page, portal)
    response = phone_page.goto(portal.url("/parent/children/lrn-other/grades"))

    assert response is not None and response.status == 404
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Хуудас олдсонгүй")
