"""education's pages without a browser: sign-in redirect, "No access" and "Not found" pages in Mongolian, CSRF on
every form (including file uploads), the JSON API untouched by the page error handling, and the timetable editor
while a new version is a draft."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from education.domain.timetable import Lesson
from education.service_layer import commands
from fastapi.testclient import TestClient

CSV = "Бүлэг,Регистрийн дугаар,Овог,Нэр,Төрсөн огноо,Хүйс\n5Б,УБ14251124,Энх,Нара,2014-05-11,эмэгтэй\n".encode()


@pytest.fixture(scope="module")
def client(office) -> Iterator[TestClient]:  # type: ignore[no-untyped-def]
    with TestClient(office.app()) as test_client:
        yield test_client


@pytest.fixture
def admin(client: TestClient, office) -> TestClient:  # type: ignore[no-untyped-def]
    client.cookies.clear()
    client.cookies.set("esis_session", office.token())
    return client


def csrf(client: TestClient, path: str) -> str:
    """The form token a page hands out (its cookie is set on the client by the same answer)."""
    return re.search(r'name="csrftoken" value="([^"]+)"', client.get(path).text).group(1)


def test_a_page_without_a_session_sends_the_visitor_to_sign_in_and_back(client: TestClient) -> None:
    client.cookies.clear()
    response = client.get("/education/classes", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/identity/login?next=%2Feducation%2Fclasses"


def test_another_schools_admin_gets_the_no_access_page(client: TestClient, office) -> None:  # type: ignore[no-untyped-def]
    client.cookies.set("esis_session", office.token(orgs=(office.other_school,)))
    response = client.get("/education/admissions", params={"school_id": office.school})
    assert response.status_code == 403 and "text/html" in response.headers["content-type"]
    assert "Хандах эрхгүй" in response.text


def test_an_unknown_learner_is_a_not_found_page(admin: TestClient) -> None:
    response = admin.get("/education/learners/no-such-learner", params={"purpose": "Шалгах"})
    assert response.status_code == 404 and "Хуудас олдсонгүй" in response.text


def test_the_api_keeps_its_json_errors(admin: TestClient, office) -> None:  # type: ignore[no-untyped-def]
    response = admin.get("/api/education/v1/learners/no-such-learner", params={"purpose": "Шалгах"},
                         headers={"Authorization": f"Bearer {office.token()}"})
    assert response.status_code == 404 and response.json()["error"]["code"] == "learner_not_found"


def test_a_form_posted_without_its_token_is_refused(admin: TestClient, office) -> None:  # type: ignore[no-untyped-def]
    csrf(admin, "/education/transfers")
    response = admin.post("/education/transfers/any/reject", data={"reason": "x", "school_id": office.school})
    assert response.status_code == 403 and "Маягтын хугацаа дууссан байна" in response.text


def test_a_file_upload_needs_its_token_before_the_file(admin: TestClient, office) -> None:  # type: ignore[no-untyped-def]
    token = csrf(admin, "/education/imports")
    fields = {"school_id": office.school, "year_id": "2024-2025", "dry_run": "1"}
    missing = admin.post("/education/imports", data=fields, files={"file": ("5b.csv", CSV)})
    wrong = admin.post("/education/imports", data={"csrftoken": token[::-1], **fields}, files={"file": ("5b.csv", CSV)})
    after = admin.post("/education/imports", data=fields, files={"file": ("5b.csv", CSV), "csrftoken": (None, token)})
    assert (missing.status_code, wrong.status_code, after.status_code) == (403, 403, 403)
    assert "Маягтын хугацаа дууссан байна" in missing.text

    accepted = admin.post("/education/imports", data={"csrftoken": token, **fields}, files={"file": ("5b.csv", CSV)},
                          follow_redirects=False)
    assert accepted.status_code == 303 and accepted.headers["location"].startswith("/education/imports/")


def test_an_unreadable_file_is_explained_on_the_upload_page(admin: TestClient, office) -> None:  # type: ignore[no-untyped-def]
    token = csrf(admin, "/education/imports")
    response = admin.post("/education/imports", data={"csrftoken": token, "school_id": office.school,
                                                      "year_id": "2024-2025"},
                          files={"file": ("list.csv", "Нэр\nНара\n".encode())})
    assert response.status_code == 422
    assert "Заавал байх багана алга: Бүлэг, Регистрийн дугаар" in response.text


def test_an_admin_of_two_schools_first_sees_the_first_by_name(client: TestClient, office) -> None:  # type: ignore[no-untyped-def]
    client.cookies.set("esis_session", office.token(orgs=(office.other_school, office.school)))
    page = client.get("/education/classes").text
    assert "Баянзүрхийн 14-р сургууль" in page.split("</h1>")[0]
    assert f'href="/education/classes/{office.classes["5А"]}"' in page


def test_the_editor_shows_the_draft_and_says_the_published_week_is_still_what_others_see(
        client: TestClient, office) -> None:  # type: ignore[no-untyped-def]
    school, class_id = office.other_school, office.classes["other 5А"]
    math = office.subjects["MATH"]
    office.container.handle(commands.SaveTimetable(class_id, (Lesson(1, 1, math, "teacher-ganaa", "12"),)),
                            office.admin(school))
    office.container.handle(commands.PublishTimetable(class_id), office.admin(school))
    office.container.handle(commands.SaveTimetable(class_id, (Lesson(2, 3, math, "teacher-draft", "12"),)),
                            office.admin(school))
    client.cookies.clear()
    client.cookies.set("esis_session", office.token(orgs=(school,)))

    page = client.get(f"/education/classes/{class_id}/timetable").text
    english = client.get(f"/education/classes/{class_id}/timetable", params={"lang": "en"}).text

    assert 'value="teacher-draft"' in page and "teacher-ganaa" not in page
    assert "Өөрчлөлт нийтлэгдээгүй" in page and "сүүлд нийтлэгдсэн хувилбарыг харна" in page
    assert "Changes not published" in english and "see the last published version" in english
