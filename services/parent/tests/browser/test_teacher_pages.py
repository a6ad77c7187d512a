"""The teacher's side of parents' messages in headless Chromium at phone size: the teacher opens the inbox, replies
and accepts a consultation with a time; the guardian then reads the reply and the time. In Mongolian."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from esis_shared.auth import Principal
from esis_shared.testing.browser import PHONE, LiveServer, live_server
from parent.domain.school import ClassInfo, SchoolInfo
from parent.entrypoints.api.app import build_app
from parent.service_layer.handlers import messaging as m
from parent.service_layer.handlers import projections as p
from parent.service_layer.handlers.claims import ClaimChild, claim_child
from playwright.sync_api import Page, expect

from ..unit.apptools import container, token
from ..unit.conftest import MOTHER, TEACHER, claim

pytestmark = pytest.mark.browser


@dataclass
class Portal:
    server: LiveServer
    thread_id: str

    def open(self, page: Page, principal: Principal, path: str):
        page.context.add_cookies([{"name": "esis_session", "value": token(principal), "url": self.server.url("/")}])
        return page.goto(self.server.url(path))


@pytest.fixture
def portal(tmp_path) -> Iterator[Portal]:
    """Bat's mother wrote to his maths teacher and asked for a meeting."""
    built = container(tmp_path)
    deps = built.deps
    claim_child(ClaimChild(MOTHER.subject, claim()), deps)
    with deps.uow() as uow:
        p.school_created(uow, SchoolInfo("sch-1", "Улаанбаатар 1-р сургууль", "UB-001"))
        p.class_opened(uow, ClassInfo("cls-5b", "sch-1", "2026-2027", "5", "Б"))
        uow.commit()
    thread = m.start_thread(m.StartThread("lrn-bat", "acc-teacher", "Даалгаврын талаар",
                                          "Маргаашийн даалгаврыг тодруулж өгнө үү."), MOTHER, deps)
    m.request_consultation(m.RequestConsultation("lrn-bat", "acc-teacher", "Математикийн дүн", "Мягмар 17:00-с хойш"),
                           MOTHER, deps)
    with live_server(build_app(built)) as server:
        yield Portal(server, thread.thread_id)
    built.close()


def no_sideways_scroll(page: Page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_teacher_replies_and_sets_a_meeting_and_the_guardian_sees_both(page_factory, portal: Portal) -> None:
    teacher = page_factory(**PHONE)
    portal.open(teacher, TEACHER, "/parent/teacher/inbox")

    expect(teacher.get_by_role("heading", level=1)).to_have_text("Эцэг эхийн захидал")
    waiting = teacher.get_by_role("listitem").filter(has_text="Даалгаврын талаар")
    expect(waiting).to_contain_text("Таны хариуг хүлээж байна")
    expect(waiting).to_contain_text("Д.Бат")
    no_sideways_scroll(teacher)

    waiting.get_by_role("link", name="Даалгаврын талаар").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Даалгаврын талаар")
    expect(teacher.get_by_text("Маргаашийн даалгаврыг тодруулж өгнө үү.")).to_be_visible()
    teacher.get_by_label("Хариу бичих").fill("Бодлого 1-5, 42-р хуудас.")
    teacher.get_by_role("button", name="Илгээх", exact=True).click()
    expect(teacher.get_by_role("status")).to_have_text("Хариу илгээгдлээ.")
    expect(teacher.get_by_role("listitem").filter(has_text="Бодлого 1-5, 42-р хуудас.")).to_contain_text("Та")
    no_sideways_scroll(teacher)

    teacher.get_by_role("link", name="← Эцэг эхийн захидал").click()
    expect(teacher.get_by_role("listitem").filter(has_text="Даалгаврын талаар")).not_to_contain_text("хүлээж байна")
    teacher.get_by_role("link", name="Математикийн дүн").click()
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Уулзалтын хүсэлт")
    expect(teacher.get_by_text("Мягмар 17:00-с хойш")).to_be_visible()
    teacher.get_by_label("Уулзах цаг", exact=True).fill("2026-12-02T17:30")
    teacher.get_by_label("Уулзах газар эсвэл эцэг эхэд өгөх тэмдэглэл").fill("202 тоот")
    no_sideways_scroll(teacher)
    teacher.get_by_role("button", name="Зөвшөөрөх").click()

    expect(teacher.get_by_role("status")).to_contain_text("Уулзалтын цаг товлогдож")
    expect(teacher.get_by_role("listitem").filter(has_text="Математикийн дүн")).to_contain_text("2026-12-02 17:30")

    guardian = page_factory(**PHONE)
    portal.open(guardian, MOTHER, "/parent/children/lrn-bat/messages")
    meeting = guardian.get_by_role("listitem").filter(has_text="Математикийн дүн")
    expect(meeting).to_contain_text("Зөвшөөрсөн")
    expect(meeting).to_contain_text("2026-12-02 17:30")
    expect(meeting).to_contain_text("202 тоот")
    guardian.get_by_role("link", name="Даалгаврын талаар").click()
    expect(guardian.get_by_role("listitem").filter(has_text="Бодлого 1-5, 42-р хуудас.")).to_be_visible()
    no_sideways_scroll(guardian)


def test_declining_without_a_reason_is_stopped_and_with_one_the_guardian_reads_it(page_factory,
                                                                                   portal: Portal) -> None:
    teacher = page_factory(**PHONE)
    portal.open(teacher, TEACHER, "/parent/teacher/inbox")
    teacher.get_by_role("link", name="Математикийн дүн").click()
    teacher.get_by_role("button", name="Татгалзах").click()  # the reason is required: nothing is sent
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Уулзалтын хүсэлт")

    teacher.get_by_label("Шалтгаан").fill("Энэ долоо хоногт сургалттай, дараа долоо хоногт бичээрэй.")
    teacher.get_by_role("button", name="Татгалзах").click()
    expect(teacher.get_by_role("status")).to_contain_text("татгалзаж")

    guardian = page_factory(**PHONE)
    portal.open(guardian, MOTHER, "/parent/children/lrn-bat/messages")
    meeting = guardian.get_by_role("listitem").filter(has_text="Математикийн дүн")
    expect(meeting).to_contain_text("Татгалзсан")
    expect(meeting).to_contain_text("дараа долоо хоногт бичээрэй")


def test_the_teacher_writes_first_from_the_menu(page_factory, portal: Portal) -> None:
    teacher = page_factory(**PHONE)
    portal.open(teacher, TEACHER, "/parent/teacher/inbox")
    teacher.get_by_role("navigation", name="Үндсэн цэс").get_by_role("link", name="Эцэг эхэд бичих").click()

    teacher.get_by_label("Хэнд").select_option(label="Д.Бат — Ээж")
    teacher.get_by_label("Сэдэв").fill("Эцэг эхийн хурал")
    teacher.get_by_label("Мессеж").fill("Баасан гарагт 18:00 цагт 5Б ангид.")
    teacher.get_by_role("button", name="Илгээх", exact=True).click()

    # the teacher already talks with Bat's mother: the message continues that conversation
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Даалгаврын талаар")
    expect(teacher.get_by_text("Баасан гарагт 18:00 цагт 5Б ангид.")).to_be_visible()
    no_sideways_scroll(teacher)


def test_a_guardian_gets_no_access_and_a_guessed_thread_is_not_found(page_factory, portal: Portal) -> None:
    guardian = page_factory(**PHONE)
    refused = portal.open(guardian, MOTHER, "/parent/teacher/inbox")

    assert refused is not None and refused.status == 403
    expect(guardian.get_by_text("Математикийн дүн")).to_have_count(0)

    teacher = page_factory(**PHONE)
    guessed = portal.open(teacher, TEACHER, "/parent/teacher/threads/thr-0000000000000000")
    assert guessed is not None and guessed.status == 404
    expect(teacher.get_by_role("heading", level=1)).to_have_text("Хуудас олдсонгүй")
