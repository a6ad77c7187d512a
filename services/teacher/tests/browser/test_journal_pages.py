"""The teacher's daily tool in headless Chromium: today's classes, one-tap attendance, corrections, the marks
grid by keyboard, grades through approval, homework, lesson log and feedback — Mongolian first, on a phone too."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from esis_shared.testing.browser import LiveServer, live_server
from playwright.sync_api import Page, expect
from sqlalchemy import func, select
from teacher.adapters.orm import attendance_sheets, outbox
from teacher.bootstrap import Container
from teacher.domain.access import Actor
from teacher.entrypoints.api.app import build_app
from teacher.service_layer import commands

from ..conftest import MANAGER, MINISTRY, SIXTH, TEACHER, Clock, Tokens, sql_container

pytestmark = pytest.mark.browser
NAMES = {"L1": "Б.Анударь", "L2": "Д.Болормаа", "L3": "Г.Тэмүүлэн", "L4": "О.Сүхбат", "L5": "Т.Мишээл",
         "P1": "Э.Номин", "P2": "С.Ганзориг"}


class FixedNames:
    """Stands in for education's GetClassRoster (names are never stored by the teacher portal)."""

    def names(self, class_id: str, day: date, on_behalf_of: str) -> dict[str, str]:
        return dict(NAMES)


@dataclass
class Portal:
    server: LiveServer
    container: Container
    tokens: Tokens

    def open(self, page: Page, path: str, actor: Actor = TEACHER) -> None:
        page.context.add_cookies([{"name": "esis_session", "value": self.tokens.token(actor),
                                   "url": self.server.url("/")}])
        page.goto(self.server.url(path))

    def count(self, table: object, *where: object) -> int:
        with self.container.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()  # type: ignore


@pytest.fixture
def portal(tmp_path: Path, tokens: Tokens, clock: Clock) -> Iterator[Portal]:
    """The portal on a fresh SQLite file, Tuesday 1 December 2026 (term 2), the seeded school."""
    container = sql_container(f"sqlite:///{tmp_path / 'teacher.db'}", tokens, clock, names=FixedNames())
    with live_server(build_app(container)) as server:
        yield Portal(server, container, tokens)
    container.close()


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_on_a_phone_one_tap_marks_the_whole_class_present(phone_page: Page, portal: Portal) -> None:
    portal.open(phone_page, "/teacher/")
    expect(phone_page.locator("html")).to_have_attribute("lang", "mn")
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Өнөөдрийн хичээл")
    assert no_sideways_scroll(phone_page)
    phone_page.get_by_role("link", name="6А ангийн ирц").click()
    expect(phone_page.get_by_role("heading", level=1)).to_have_text("Ирц: 6А")
    expect(phone_page.get_by_role("group", name="Т.Мишээл").get_by_label("Ирсэн")).to_be_checked()
    assert no_sideways_scroll(phone_page)
    phone_page.get_by_role("button", name="Бүгд ирсэн: хадгалах").click()
    expect(phone_page.get_by_role("status")).to_have_text("Ирц хадгалагдлаа.")
    expect(phone_page.get_by_text("Бүртгэсэн", exact=True)).to_be_visible()
    assert portal.count(attendance_sheets) == 1
    assert portal.count(outbox, outbox.c.event_type == "esis.teacher.v1.AttendanceMarked") == 1


def test_a_form_sent_again_after_a_dropped_connection_makes_no_second_sheet(page: Page, portal: Portal) -> None:
    portal.open(page, "/teacher/classes/3b/attendance")
    one_tap = page.locator("form.one-tap")
    fields = {name: one_tap.locator(f"input[name='{name}']").get_attribute("value")
              for name in ("csrftoken", "form_id", "day", "lesson", "subject_code", "all_present")}
    page.get_by_role("button", name="Бүгд ирсэн: хадгалах").click()
    expect(page.get_by_role("status")).to_have_text("Ирц хадгалагдлаа.")
    resent = page.request.post(portal.server.url("/teacher/classes/3b/attendance"), form=fields)  # same form again
    assert resent.ok and "Ирц хадгалагдлаа." in resent.text()
    assert portal.count(attendance_sheets) == 1
    assert portal.count(outbox) == 1


def test_a_sick_learner_then_a_correction_that_keeps_the_history(page: Page, portal: Portal) -> None:
    portal.open(page, "/teacher/classes/3b/attendance")
    page.get_by_role("group", name="С.Ганзориг").get_by_label("Өвчтэй").check()
    page.get_by_role("button", name="Ирц хадгалах").click()
    expect(page.get_by_role("group", name="С.Ганзориг").get_by_label("Өвчтэй")).to_be_checked()
    page.get_by_role("group", name="С.Ганзориг").get_by_label("Чөлөөтэй").check()
    page.get_by_label("Засварын шалтгаан").fill("Эмчийн тодорхойлолт ирсэн")
    page.get_by_role("button", name="Засварыг хадгалах").click()
    expect(page.get_by_role("heading", name="Засварууд")).to_be_visible()
    expect(page.get_by_text("С.Ганзориг: sick → excused")).to_be_visible()
    expect(page.get_by_text("Эмчийн тодорхойлолт ирсэн")).to_be_visible()


def test_a_weekend_is_refused_with_the_reason_in_mongolian(page: Page, portal: Portal) -> None:
    portal.open(page, "/teacher/classes/3b/attendance?day=2026-11-28")
    page.get_by_role("button", name="Бүгд ирсэн: хадгалах").click()
    expect(page.get_by_role("alert")).to_contain_text("хичээлийн өдөр биш: амралтын өдөр")
    assert portal.count(attendance_sheets) == 0


def test_marks_are_typed_down_a_column_with_the_keyboard(page: Page, portal: Portal) -> None:
    portal.open(page, "/teacher/classes/6a/marks")
    expect(page.get_by_role("heading", level=1)).to_have_text("Дүн: 6А · math")
    page.get_by_label("Үнэлгээний нэр").fill("Бутархай — сорил")
    page.get_by_role("button", name="Үнэлгээ нэмэх").click()
    page.get_by_label("Б.Анударь: Бутархай — сорил").click()
    for value in ("90", "89.9", "60", "59.99", "100"):
        page.keyboard.type(value)
        page.keyboard.press("Enter")  # moves down the column; on the last row it saves
    expect(page.get_by_role("status")).to_have_text("5 дүн хадгалагдлаа.")
    rows = page.get_by_role("row")
    expect(rows.filter(has_text="Б.Анударь").get_by_role("cell").last).to_have_text("A")
    expect(rows.filter(has_text="О.Сүхбат").get_by_role("cell").last).to_have_text("F")
    expect(rows.filter(has_text="Г.Тэмүүлэн").get_by_role("cell").last).to_have_text("D")


def test_a_bad_mark_names_its_cell_and_keeps_what_was_typed(page: Page, portal: Portal) -> None:
    portal.container.handle(commands.CreateAssessment(TEACHER, "6a", "math", 2, "Сорил", date(2026, 11, 16)))
    portal.open(page, "/teacher/classes/6a/marks")
    page.get_by_label("Б.Анударь: Сорил").fill("85")
    page.get_by_label("Д.Болормаа: Сорил").fill("850")
    page.get_by_role("button", name="Дүн хадгалах").click()
    expect(page.get_by_role("alert")).to_contain_text("0-ээс 100 хүртэлх")
    expect(page.get_by_label("Д.Болормаа: Сорил")).to_have_value("850")
    expect(page.get_by_label("Б.Анударь: Сорил")).to_have_value("85")


def test_grades_go_to_the_training_manager_and_come_back_approved(page_factory, portal: Portal) -> None:
    exam = portal.container.handle(commands.CreateAssessment(TEACHER, "6a", "math", 2, "Сорил", date(2026, 11, 16)))
    portal.container.handle(commands.RecordMarks(TEACHER, "6a", "math", tuple(
        commands.MarkInput(exam.id, x, p) for x, p in zip(SIXTH, ("95", "81", "70", "58"), strict=True))))
    teacher = page_factory()
    portal.open(teacher, "/teacher/classes/6a/grades?period=2")
    expect(teacher.get_by_text("Ноорог")).to_be_visible()
    mishees_row = teacher.get_by_role("row", name=re.compile("Т.Мишээл"))
    mishees_row.get_by_text("Засах").click()
    teacher.get_by_label("Т.Мишээл-ын шинэ хувь").fill("72")
    teacher.get_by_label("Т.Мишээл-ын дүнг өөрчлөх шалтгаан").fill("Шилжиж ирсэн, өмнөх сургуулийн дүн")
    mishees_row.get_by_role("button", name="Өөрчлөх").click()
    expect(teacher.get_by_role("status")).to_have_text("Дүнг өөрчиллөө.")
    teacher.get_by_role("button", name="Батлуулахаар илгээх").click()
    expect(teacher.get_by_text("Батлуулахаар илгээсэн", exact=True)).to_be_visible()

    manager = page_factory(**{"locale": "mn-MN"})
    portal.open(manager, "/teacher/", MANAGER)
    expect(manager).to_have_url(re.compile(r"/teacher/school$"))
    manager.get_by_role("link", name="6А · math · 2-р улирал").click()
    expect(manager.get_by_role("row", name=re.compile("Т.Мишээл"))).to_contain_text("Шилжиж ирсэн")
    manager.go_back()
    manager.get_by_role("button", name="6А · math · 2-р улирал батлах").click()
    expect(manager.get_by_role("status")).to_have_text("Дүнг баталж нийтэллээ.")
    teacher.reload()
    expect(teacher.get_by_text("Батлагдсан", exact=True)).to_be_visible()
    expect(teacher.get_by_role("row", name=re.compile("О.Сүхбат"))).to_contain_text("F")
    assert portal.count(outbox, outbox.c.event_type == "esis.teacher.v1.TermGradePublished") == 5


def test_homework_and_the_lesson_log_on_a_phone(phone_page: Page, portal: Portal) -> None:
    portal.open(phone_page, "/teacher/classes/6a/homework")
    phone_page.get_by_label("Юу хийх").fill("48-р хуудасны 3, 4-р дасгал")
    phone_page.get_by_label("Цахим хичээлийн холбоос").fill("textbook-math6:ch4 video-17")
    phone_page.get_by_role("button", name="Даалгавар өгөх").click()
    expect(phone_page.get_by_role("status")).to_have_text("Гэрийн даалгавар өглөө.")
    expect(phone_page.get_by_text("48-р хуудасны 3, 4-р дасгал")).to_be_visible()
    assert no_sideways_scroll(phone_page)
    phone_page.get_by_role("link", name="Хичээлийн бүртгэл").click()
    phone_page.get_by_label("Сэдэв").fill("Бутархайн нэмэх үйлдэл")
    phone_page.get_by_role("button", name="Сэдэв хадгалах").click()
    expect(phone_page.get_by_role("status")).to_have_text("Хичээлийн сэдэв хадгалагдлаа.")
    expect(phone_page.get_by_role("cell", name="Бутархайн нэмэх үйлдэл")).to_be_visible()


def test_feedback_in_english_with_its_status_and_the_ministrys_answer(page: Page, portal: Portal) -> None:
    portal.open(page, "/teacher/feedback?lang=en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Feedback to the ministry")
    page.get_by_label("Category").select_option(label="Workload and timetable")
    page.get_by_label("Your message").fill("I teach 26 hours a week and have no time left to prepare lessons.")
    page.get_by_label("Hide my name from my school").check()
    page.get_by_role("button", name="Send to the ministry").click()
    expect(page.get_by_role("status")).to_contain_text("Sent.")
    expect(page.get_by_text("Received", exact=True)).to_be_visible()
    expect(page.get_by_text("hidden from the school")).to_be_visible()
    (item,) = portal.container.uow().__enter__().feedback.of_sender(TEACHER.account_id)
    portal.container.handle(commands.ReviewFeedback(MINISTRY, item.id))
    portal.container.handle(commands.AnswerFeedback(MINISTRY, item.id, "We are revising the workload norm."))
    page.reload()
    expect(page.get_by_text("Answered", exact=True)).to_be_visible()
    expect(page.get_by_text("We are revising the workload norm.")).to_be_visible()
