"""hr's JSON API on PostgreSQL with real signed tokens: what a school admin, an officer and a teacher see."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from esis_shared.auth import Principal, sign_access_token
from fastapi.testclient import TestClient
from hr.bootstrap import Container
from hr.domain.access import SYSTEM
from hr.entrypoints.api.app import build_app
from hr.service_layer import commands

from .conftest import AUDIENCE, ISSUER, SCHOOL

pytestmark = pytest.mark.integration
API = "/api/hr/v1"
BOLD = {"register_number": "УБ85031512", "patronymic": "Батын", "given_name": "Болд", "birth_date": "1985-03-15",
        "sex": "male", "phone": "99112233"}


@pytest.fixture
def client(pg_container: Container) -> Iterator[TestClient]:
    with TestClient(build_app(pg_container)) as test_client:
        yield test_client


@pytest.fixture
def token(signing_key):
    def sign(subject: str, role: str, *orgs: str, classes: tuple[str, ...] = ()) -> dict[str, str]:
        principal = Principal(subject, role, frozenset(orgs), frozenset(classes))
        value = sign_access_token(principal, signing_key, issuer=ISSUER, audience=AUDIENCE, ttl_s=300)
        return {"Authorization": f"Bearer {value}"}

    return sign


@pytest.fixture
def admin(token) -> dict[str, str]:
    return token("acc-admin-1", "school_admin", SCHOOL)


def _hire(client: TestClient, admin: dict[str, str], person: dict[str, str] = BOLD) -> dict:
    post = client.post(f"{API}/positions", json={"org_id": SCHOOL, "kind": "teacher", "subject_code": "math"},
                       headers=admin)
    assert post.status_code == 201, post.text
    hired = client.post(f"{API}/staff", headers=admin, json={
        "person": person, "position_id": post.json()["id"], "start_date": "2024-09-01"})
    assert hired.status_code == 201, hired.text
    return hired.json()


def test_a_school_admin_hires_and_sees_the_staff_list_in_mongolian(client, admin) -> None:
    hired = _hire(client, admin)
    listed = client.get(f"{API}/staff", params={"org_id": SCHOOL, "as_of": "2024-10-01"}, headers=admin)
    assert listed.status_code == 200
    assert listed.json()["items"] == [{"staff_id": hired["staff_id"], "name": "Б.Болд", "position_kind": "teacher",
                                       "position_label": "багш", "fte": "1.00", "on_leave": None}]
    english = client.get(f"{API}/staff", params={"org_id": SCHOOL, "as_of": "2024-10-01", "lang": "en"},
                         headers=admin)
    assert english.json()["items"][0]["position_label"] == "teacher"


def test_a_wrong_register_number_is_answered_naming_the_part_in_both_languages(client, admin) -> None:
    post = client.post(f"{API}/positions", json={"org_id": SCHOOL, "kind": "teacher"}, headers=admin)
    bad = {**BOLD, "register_number": "УБ85131512"}
    answer = client.post(f"{API}/staff", headers=admin, json={
        "person": bad, "position_id": post.json()["id"], "start_date": "2024-09-01"})
    assert answer.status_code == 422
    error = answer.json()["error"]
    assert error["code"] == "register_number_birth_month"
    assert error["details"]["fields"][0]["field"] == "register_number"
    assert error["details"]["fields"][0]["part"] == "birth_month"
    assert "сар" in error["message"] and "birth month" in error["details"]["message_en"]
    english = client.post(f"{API}/staff?lang=en", headers=admin, json={
        "person": bad, "position_id": post.json()["id"], "start_date": "2024-09-01"})
    assert "birth month" in english.json()["error"]["message"]


def test_the_profile_needs_a_purpose_and_the_read_is_listed(client, admin) -> None:
    staff_id = _hire(client, admin)["staff_id"]
    refused = client.get(f"{API}/staff/{staff_id}", headers=admin)
    assert refused.status_code == 422 and refused.json()["error"]["details"]["fields"][0]["field"] == "purpose"

    profile = client.get(f"{API}/staff/{staff_id}", params={"purpose": "contract renewal"}, headers=admin)
    assert profile.status_code == 200
    assert profile.json()["register_number"] == "УБ85031512"
    reads = client.get(f"{API}/staff/{staff_id}/reads", headers=admin).json()["items"]
    assert [(r["reader_account_id"], r["purpose"]) for r in reads] == [("acc-admin-1", "contract renewal")]


def test_another_schools_admin_is_refused_with_403(client, admin, token) -> None:
    staff_id = _hire(client, admin)["staff_id"]
    other = token("acc-admin-2", "school_admin", "org-school-2")
    answer = client.get(f"{API}/staff/{staff_id}", params={"purpose": "curious"}, headers=other)
    assert answer.status_code == 403 and answer.json()["error"]["code"] == "access_denied"


def test_an_officer_of_the_aimag_reads_the_school_list(client, admin, token, pg_container) -> None:
    _hire(client, admin)
    pg_container.bus.handle(commands.SaveOrg(SYSTEM, "dept-011", "Боловсролын газар", "011", "department"))
    officer = token("acc-officer", "aimag_officer", "dept-011")
    listed = client.get(f"{API}/staff", params={"org_id": SCHOOL}, headers=officer)
    assert listed.status_code == 200 and len(listed.json()["items"]) == 1
    hire_attempt = client.post(f"{API}/positions", json={"org_id": SCHOOL, "kind": "teacher"}, headers=officer)
    assert hire_attempt.status_code == 403


def test_assignment_overlap_is_409_and_the_teacher_sees_their_own_record(client, admin, token) -> None:
    staff_id = _hire(client, admin)["staff_id"]
    body = {"staff_id": staff_id, "class_id": "class-5a", "subject_code": "math", "school_year": "2024-2025",
            "weekly_hours": 5}
    first = client.post(f"{API}/assignments", json=body, headers=admin)
    assert first.status_code == 201 and first.json()["assignment"]["teacher_name"] == "Б.Болд"
    assert [n["code"] for n in first.json()["notices"]] == ["not_qualified_for_subject"]
    again = client.post(f"{API}/assignments", json=body, headers=admin)
    assert again.status_code == 409 and again.json()["error"]["code"] == "assignment_overlap"

    client.put(f"{API}/staff/{staff_id}/account", json={"account_id": "acc-teacher-bold"}, headers=admin)
    teacher = token("acc-teacher-bold", "teacher", SCHOOL, classes=("class-5a",))
    mine = client.get(f"{API}/staff/me", headers=teacher)
    assert mine.status_code == 200 and mine.json()["id"] == staff_id
    gaps = client.get(f"{API}/classes/class-5a/gaps", params={"as_of": "2024-10-01"}, headers=admin)
    assert gaps.json()["items"] == [{"subject_code": "mongolian", "planned_hours": 6}]
    assert client.get(f"{API}/staff/{staff_id}/reads", headers=teacher).json()["items"] == []


def test_requests_without_a_token_are_refused(client) -> None:
    answer = client.get(f"{API}/staff", params={"org_id": SCHOOL})
    assert answer.status_code == 401


STAFF_CSV = ("Регистрийн дугаар,Эцэг/эхийн нэр,Нэр,Төрсөн огноо,Хүйс,Албан тушаал,Хичээл,Ажилд орсон огноо\n"
             "УБ85031512,Батын,Болд,1985-03-15,эрэгтэй,багш,math,2024-09-01\n"
             "ТА92112024,Доржийн,Сараа,1992-11-20,эмэгтэй,захирал,,2024-09-01\n")


def test_a_staff_list_upload_is_all_or_nothing(client, admin) -> None:
    broken = STAFF_CSV.replace("1992-11-20", "1992-11-31")
    rejected = client.post(f"{API}/imports/staff", params={"org_id": SCHOOL}, headers=admin,
                           files={"file": ("staff.csv", broken.encode(), "text/csv")})
    assert rejected.status_code == 422
    error = rejected.json()["error"]
    assert error["code"] == "import_rejected" and "юу ч бүртгэгдсэнгүй" in error["message"]
    assert error["details"]["rows"] == [{"row": 3, "column": "Төрсөн огноо", "field": "birth_date",
                                         "code": "date_format", "message": error["details"]["rows"][0]["message"]}]
    assert client.get(f"{API}/staff", params={"org_id": SCHOOL}, headers=admin).json()["items"] == []

    imported = client.post(f"{API}/imports/staff", params={"org_id": SCHOOL}, headers=admin,
                           files={"file": ("staff.csv", STAFF_CSV.encode(), "text/csv")})
    assert imported.status_code == 201, imported.text
    assert imported.json() == {"imported": True, "rows": 2, "new_staff": 2, "existing_staff": 0}
    listed = client.get(f"{API}/staff", params={"org_id": SCHOOL, "as_of": "2024-10-01"}, headers=admin)
    assert sorted(r["name"] for r in listed.json()["items"]) == ["Б.Болд", "Д.Сараа"]


def test_the_import_template_downloads_with_mongolian_headers(client, admin) -> None:
    answer = client.get(f"{API}/imports/staff/template.csv", headers=admin)
    assert answer.status_code == 200 and answer.text.lstrip("\ufeff").startswith("Регистрийн дугаар,")
