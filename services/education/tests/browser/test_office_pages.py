"""The school office in a real browser: classes, a roster and a learner's record with its access log, the
admission and transfer desks, the timetable editor with a conflict, a class-list import with its row report —
Mongolian by default, English on request, and on a phone without sideways scrolling."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from esis_shared.testing.browser import LiveServer, live_server
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
SHOTS = Path("test-artifacts/education")
CSV_HEADER = "Бүлэг,Регистрийн дугаар,Овог,Нэр,Төрсөн огноо,Хүйс,Асран хамгаалагчийн овог,Асран хамгаалагчийн нэр," \
             "Хамаарал,Асран хамгаалагчийн утас"
GOOD = ["5Б,УБ14250827,Энх,Марал,2014-05-08,эмэгтэй,Энх,Туяа,эх,00120001",
        "5Б,УБ14250919,Энх,Билгүүн,2014-05-09,эрэгтэй,Энх,Туяа,эх,00120001"]


@pytest.fixture(scope="module")
def server(office) -> Iterator[LiveServer]:  # type: ignore[no-untyped-def]
    with live_server(office.app()) as running:
        yield running


def signed_in(page: Page, server: LiveServer, token: str) -> Page:
    page.context.add_cookies([{"name": "esis_session", "value": token, "url": server.url("/")}])
    return page


def shot(page: Page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def no_sideways_scroll(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_admin_opens_a_roster_and_a_record_and_sees_the_read_in_its_access_log(page: Page, server, office) -> None:
    signed_in(page, server, office.token()).goto(server.url("/education/"))
    expect(page.locator("html")).to_have_attribute("lang", "mn")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Бүлгүүд")
    row = page.get_by_role("row").filter(has=page.get_by_role("link", name="5А", exact=True))
    expect(row).to_contain_text("2 / 30")
    row.get_by_role("link", name="5А", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Ямар зорилгоор нээж байна вэ?")
    page.get_by_label("Зорилго").fill("Эцэг эхийн уулзалт")
    page.get_by_role("button", name="Нээх").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("5А бүлэг")
    page.get_by_role("link", name="Бат Сарнай").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Бат Сарнай")
    expect(page.get_by_text("УБ14250224")).to_be_visible()
    history = page.get_by_role("region", name="Түүх")
    expect(history).to_contain_text("Баянзүрхийн 14-р сургууль")
    expect(history).to_contain_text("2024-09-02")
    expect(page.get_by_role("listitem").filter(has_text="Дорж Оюун")).to_contain_text("Баталгаажаагүй")
    reads = page.get_by_role("region", name="Энэ бүртгэлийг хэн үзсэн")
    expect(reads.get_by_role("row").filter(has_text="Бүртгэл")).to_contain_text("Эцэг эхийн уулзалт")
    expect(reads.get_by_role("row").filter(has_text="Бүлгийн нэрс").first).to_contain_text("Эцэг эхийн уулзалт")
    shot(page, "learner-record-mn")


def test_the_pages_switch_to_english_and_remember_it(page: Page, server, office) -> None:
    signed_in(page, server, office.token()).goto(server.url("/education/classes"))
    page.get_by_role("link", name="EN – English").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Classes")
    page.goto(server.url(f"/education/learners/{office.learners['Сарнай']}?purpose=Check"))
    expect(page.get_by_role("heading", name="Who read this record")).to_be_visible()
    expect(page.get_by_role("region", name="History")).to_contain_text("Current")
    shot(page, "learner-record-en")


def test_an_age_warning_is_overridden_with_a_reason_on_approval(page: Page, server, office) -> None:
    signed_in(page, server, office.token()).goto(server.url("/education/admissions"))
    applicant = page.get_by_role("region", name="Бат Анар")
    expect(applicant.get_by_role("status")).to_contain_text("2024 онд 5 нас хүрнэ")
    shot(page, "admissions-mn")
    applicant.get_by_label("Анхааруулгыг үл харгалзан батлах шалтгаан").fill("Комиссын шийдвэр №12")
    applicant.get_by_role("button", name="Батлах").click()

    expect(page.get_by_role("status").first).to_have_text("Өргөдлийг баталлаа.")
    decided = page.get_by_role("region", name="Шийдвэрлэсэн")
    expect(decided.get_by_role("row").filter(has_text="Бат Анар")).to_contain_text("Комиссын шийдвэр №12")


def test_an_incoming_transfer_needs_a_reason_to_reject_and_is_approved_into_a_class(page: Page, server,
                                                                                       office) -> None:
    signed_in(page, server, office.token()).goto(server.url("/education/transfers"))
    incoming = page.get_by_role("article", name="Бат Хулан")
    expect(incoming).to_contain_text("Эрдэнэбулган 1-р сургууль-с")
    incoming.get_by_role("button", name="Татгалзах").click()

    incoming = page.get_by_role("article", name="Бат Хулан")
    expect(incoming.locator(".error-text")).to_have_text("Татгалзсан шалтгааныг бичнэ үү.")
    expect(page.get_by_role("article", name="Бат Тэмүүлэн")).to_contain_text("Хүлээн авах сургуулийг хүлээж буй")
    shot(page, "transfers-error-mn")
    incoming.get_by_label("Элсүүлэх бүлэг").select_option(label="5Б")
    incoming.get_by_role("button", name="Батлах").click()

    expect(page.get_by_role("status").first).to_contain_text("Суралцагч манай сургуульд элслээ")
    expect(page.get_by_role("article", name="Бат Хулан")).to_contain_text("Батлагдсан")


def test_a_teacher_booked_twice_is_shown_in_the_cell_and_a_fixed_timetable_is_published(page: Page, server,
                                                                                          office) -> None:
    signed_in(page, server, office.token()).goto(server.url(f"/education/classes/{office.classes['5Б']}/timetable"))
    page.get_by_label("Даваа, 1-р цаг: хичээл").select_option(label="Математик")
    page.get_by_label("Даваа, 1-р цаг: багш").fill("teacher-bold")
    page.get_by_label("Даваа, 1-р цаг: өрөө").fill("202")
    page.get_by_role("button", name="Хуваарийг хадгалах").click()

    expect(page.get_by_role("alert")).to_contain_text("Хуваарь хадгалагдсангүй: 1 зөрчил.")
    cell = page.locator("td.slot-conflict")
    expect(cell).to_have_count(1)
    expect(cell).to_contain_text("teacher-bold")
    expect(cell).to_contain_text("5А")
    expect(page.get_by_label("Даваа, 1-р цаг: багш")).to_have_value("teacher-bold")
    shot(page, "timetable-conflict-mn")

    page.get_by_label("Даваа, 1-р цаг: багш").fill("teacher-saruul")
    page.get_by_role("button", name="Хуваарийг хадгалах").click()
    expect(page.get_by_role("status")).to_contain_text("Хуваарийг хадгаллаа.")
    page.get_by_role("button", name="Нийтлэх").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Нийтлэгдсэн")


def _upload(page: Page, lines: list[str], tmp_path: Path, *, dry_run: bool = True) -> None:
    path = tmp_path / "5b.csv"
    path.write_text("\n".join([CSV_HEADER, *lines]), encoding="utf-8")
    page.get_by_label("Бүлгийн нэрсийн файл").set_input_files(str(path))
    page.get_by_label("Зөвхөн шалгах (одоохондоо импортлохгүй)").set_checked(dry_run)
    page.get_by_role("button", name="Илгээх").click()


def test_an_import_reports_every_bad_row_then_imports_the_corrected_list(page: Page, server, office,
                                                                          tmp_path: Path) -> None:
    signed_in(page, server, office.token()).goto(server.url("/education/imports"))
    _upload(page, [GOOD[0], GOOD[1].replace("эрэгтэй", "хүү").replace("2014-05-09", "09.05.2014")], tmp_path)

    expect(page.get_by_role("alert")).to_contain_text("1 мөрөнд алдаа байна; юу ч импортлогдсонгүй.")
    report = page.get_by_role("region", name="Файлын алдаанууд")
    expect(report.get_by_role("row").filter(has_text="Төрсөн огноо")).to_contain_text("3")
    expect(report.get_by_role("row").filter(has_text="Хүйс")).to_contain_text("'хүү' хүйс биш")
    shot(page, "import-report-mn")

    page.get_by_role("link", name="Өөр файл импортлох").click()
    _upload(page, GOOD, tmp_path)
    expect(page.get_by_role("status").first).to_have_text("Бүх мөр зөв байна. Одоогоор юу ч импортлогдоогүй.")
    page.get_by_role("button", name="Эдгээр мөрийг одоо импортлох").click()

    expect(page.get_by_role("status").first).to_have_text("Жагсаалтыг импортлолоо.")
    expect(page.locator("dl.details")).to_contain_text("Шинэ суралцагч")
    expect(page.get_by_role("definition").first).to_have_text("2")
    page.goto(server.url(f"/education/classes/{office.classes['5Б']}?purpose=Шалгах"))
    expect(page.get_by_role("link", name="Энх Марал")).to_be_visible()


def test_the_office_fits_a_phone_screen(phone_page: Page, server, office, tmp_path: Path) -> None:
    page = signed_in(phone_page, server, office.token())
    for path in ("/education/classes", f"/education/classes/{office.classes['5А']}?purpose=Ирц",
                 "/education/admissions", "/education/transfers",
                 f"/education/classes/{office.classes['5А']}/timetable"):
        page.goto(server.url(path))
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert no_sideways_scroll(page), path
    shot(page, "timetable-phone")
    page.goto(server.url("/education/imports"))
    _upload(page, ["5Б,УБ14251027,Bat,Нара,2014-05-10,эмэгтэй"], tmp_path)
    expect(page.get_by_role("region", name="Файлын алдаанууд")).to_contain_text("Овог")
    assert no_sideways_scroll(page)
    shot(page, "import-report-phone")


def test_a_teacher_sees_only_their_classes_and_no_office_desks(page: Page, server, office) -> None:
    token = office.token("teacher", classes=(office.classes["5А"],), name="Саруул")
    signed_in(page, server, token).goto(server.url("/education/classes"))
    expect(page.get_by_role("link", name="5А", exact=True)).to_be_visible()
    expect(page.get_by_role("link", name="5Б", exact=True)).to_have_count(0)
    expect(page.get_by_role("link", name="Элсэлт")).to_have_count(0)
    page.goto(server.url("/education/admissions"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Хандах эрхгүй")
    page.goto(server.url(f"/education/classes/{office.classes['5Б']}?purpose=Ирц"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Хандах эрхгүй")
    assert re.search("/education/", page.url)
