"""The HTTP API on a SQLite file: the platform's error shape, Mongolian by default, English with ?lang=en."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from education import reference
from education.bootstrap import bootstrap
from education.config import Settings
from education.entrypoints.api.app import build_app
from education.service_layer.clock import FixedClock
from esis_shared.auth import Principal, StaticKeyVerifier, jwks_document, sign_access_token
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey

KEY = RSAKey.generate_key(2048)
API = "/api/education/v1"


def token(role: str, *orgs: str) -> dict[str, str]:
    principal = Principal(subject=f"{role}-1", role=role, org_ids=frozenset(orgs))
    signed = sign_access_token(principal, KEY, issuer="esis-identity", audience="esis", ttl_s=600)
    return {"Authorization": f"Bearer {signed}"}


@pytest.fixture
def client(tmp_path: Path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'education.db'}", kafka_enabled=False)
    container = bootstrap(settings, clock=FixedClock(datetime(2024, 10, 1, 2, tzinfo=UTC)), run_migrations=True)
    app = build_app(container)
    app.state.token_verifier = StaticKeyVerifier(jwks_document([KEY]), issuer="esis-identity", audience="esis")
    with TestClient(app) as test_client:
        yield test_client
    container.close()


@pytest.fixture
def school(client: TestClient) -> str:
    ministry = token("ministry")
    body = {"kind": "school", "code": "S-1", "name_mn": "1-р сургууль", "parent_id": reference.org_id("6501"),
            "opened_on": "2000-09-01"}
    school_id = client.post(f"{API}/org-units", json=body, headers=ministry).json()["id"]
    assert client.post(f"{API}/school-years", json={"start_year": 2024}, headers=ministry).status_code == 201
    return school_id


def test_requests_without_a_token_are_refused(client: TestClient) -> None:
    response = client.get(f"{API}/org-units/{reference.org_id('MN')}/children")
    assert response.status_code == 401 and response.json()["error"]["code"] == "not_authenticated"


def test_hierarchy_lists_the_22_first_level_units(client: TestClient) -> None:
    response = client.get(f"{API}/org-units/{reference.org_id('MN')}/children", headers=token("teacher"))
    assert response.status_code == 200 and len(response.json()["children"]) == 22


def test_register_number_error_names_the_field_and_part_in_mongolian(client: TestClient, school: str) -> None:
    body = {"school_id": school, "register_number": "УБ13330224", "family_name": "Бат", "given_name": "Сарнай",
            "birth_date": "2013-05-02", "sex": "female"}
    response = client.post(f"{API}/learners", json=body, headers=token("school_admin", school))
    error = response.json()["error"]
    assert response.status_code == 422 and error["code"] == "register_number_birth_month"
    assert error["details"]["fields"][0]["field"] == "register_number"
    assert error["details"]["fields"][0]["part"] == "birth_month"
    assert "сар" in error["message"]


def test_english_messages_with_lang_en(client: TestClient, school: str) -> None:
    body = {"school_id": school, "register_number": "УБ13250224", "family_name": "Bat", "given_name": "Сарнай",
            "birth_date": "2013-05-02", "sex": "female"}
    response = client.post(f"{API}/learners?lang=en", json=body, headers=token("school_admin", school))
    assert response.json()["error"]["message"].startswith("Family name must be written in Cyrillic")


def test_enrol_and_read_roster_without_register_numbers(client: TestClient, school: str) -> None:
    admin = token("school_admin", school)
    class_body = {"school_id": school, "year_id": "2024-2025", "level": "5", "letter": "А", "shift": 1,
                  "capacity": 30}
    class_id = client.post(f"{API}/classes", json=class_body, headers=admin).json()["id"]
    body = {"school_id": school, "register_number": "УБ13250224", "family_name": "Бат", "given_name": "Сарнай",
            "birth_date": "2013-05-02", "sex": "female"}
    learner_id = client.post(f"{API}/learners", json=body, headers=admin).json()["id"]
    assert client.post(f"{API}/learners/{learner_id}/enrolment", json={"class_id": class_id},
                       headers=admin).status_code == 204
    roster = client.get(f"{API}/classes/{class_id}/roster", params={"purpose": "Ирц"}, headers=admin).json()
    assert [x["id"] for x in roster["learners"]] == [learner_id] and roster["class"]["name"] == "5А"
    assert "register_number" not in roster["learners"][0]
    log = client.get(f"{API}/learners/{learner_id}/access-log", headers=admin).json()
    assert [e["what"] for e in log] == ["roster"]


def test_duplicate_names_answer_409_with_warnings_to_confirm(client: TestClient, school: str) -> None:
    admin = token("school_admin", school)
    body = {"school_id": school, "register_number": "УБ13250224", "family_name": "Бат", "given_name": "Сарнай",
            "birth_date": "2013-05-02", "sex": "female"}
    client.post(f"{API}/learners", json=body, headers=admin)
    twin = {**body, "register_number": "ТА13250224"}
    response = client.post(f"{API}/learners", json=twin, headers=admin)
    assert response.status_code == 409
    assert response.json()["error"]["details"]["warnings"][0]["code"] == "possible_duplicate_learner"
    confirmed = client.post(f"{API}/learners", json={**twin, "duplicate_confirmation": "Өөр хүүхэд"}, headers=admin)
    assert confirmed.status_code == 201


def test_other_schools_admin_is_forbidden(client: TestClient, school: str) -> None:
    body = {"school_id": school, "year_id": "2024-2025", "level": "5", "letter": "А", "shift": 1, "capacity": 30}
    response = client.post(f"{API}/classes", json=body, headers=token("school_admin", "another-school"))
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_unknown_role_is_forbidden(client: TestClient) -> None:
    response = client.get(f"{API}/org-units/{reference.org_id('MN')}/children", headers=token("janitor"))
    assert response.status_code == 403


# ---------------------------------------------------------------- bulk import of class lists

CSV_HEADER = "Бүлэг,Регистрийн дугаар,Овог,Нэр,Төрсөн огноо,Хүйс,Асран хамгаалагчийн овог,Асран хамгаалагчийн нэр," \
             "Хамаарал,Асран хамгаалагчийн утас"
GOOD_ROWS = ["5А,УБ13250224,Бат,Сарнай,2013-05-02,эмэгтэй,Дорж,Оюун,эх,00110001",
             "5А,УБ13250315,Бат,Тэмүүлэн,2013-05-03,эрэгтэй,Дорж,Оюун,эх,00110001"]


def upload(client: TestClient, school: str, lines: list[str], *, dry_run: bool = False, lang: str = "mn",
           name: str = "5a.csv"):
    content = "\n".join([CSV_HEADER, *lines]).encode()
    return client.post(f"{API}/imports/class-lists", files={"file": (name, content, "text/csv")},
                       params={"school_id": school, "year_id": "2024-2025", "dry_run": dry_run, "wait_s": 20,
                               "lang": lang}, headers=token("school_admin", school))


@pytest.fixture
def class_5a(client: TestClient, school: str) -> str:
    body = {"school_id": school, "year_id": "2024-2025", "level": "5", "letter": "А", "shift": 1, "capacity": 30}
    return client.post(f"{API}/classes", json=body, headers=token("school_admin", school)).json()["id"]


def test_a_class_list_is_imported_and_its_job_can_be_followed(client: TestClient, school: str, class_5a: str) -> None:
    response = upload(client, school, GOOD_ROWS)
    job = response.json()
    assert response.status_code == 202 and response.headers["Location"] == f"{API}/imports/{job['id']}"
    assert (job["state"], job["processed_rows"], job["percent"]) == ("done", 2, 100)
    assert job["summary"] == {"learners_created": 2, "learners_existing": 0, "enrolments_created": 2,
                              "guardians_created": 1, "rows_unchanged": 0}
    admin = token("school_admin", school)
    roster = client.get(f"{API}/classes/{class_5a}/roster", params={"purpose": "Шалгах"}, headers=admin).json()
    assert sorted(x["given_name"] for x in roster["learners"]) == ["Сарнай", "Тэмүүлэн"]
    assert [j["id"] for j in client.get(f"{API}/imports", params={"school_id": school}, headers=admin).json()] == [
        job["id"]]


def test_bad_rows_are_reported_by_row_and_column_in_english(client: TestClient, school: str, class_5a: str) -> None:
    bad = GOOD_ROWS[1].replace("эрэгтэй", "хүү").replace("5А,", "5В,")
    job = upload(client, school, [GOOD_ROWS[0], bad], dry_run=True, lang="en").json()
    assert job["state"] == "rejected" and job["error_rows"] == 1
    assert [(e["row"], e["column"]) for e in job["errors"]] == [(3, "Бүлэг"), (3, "Хүйс")]
    assert job["errors"][1]["message"] == "'хүү' is not a sex: write male or female."
    mongolian = client.get(f"{API}/imports/{job['id']}", params={"lang": "mn"},
                           headers=token("school_admin", school)).json()
    assert mongolian["errors"][1]["message"].startswith("'хүү' хүйс биш")


def test_a_file_without_the_required_columns_is_refused_at_once(client: TestClient, school: str) -> None:
    response = client.post(f"{API}/imports/class-lists", files={"file": ("x.csv", "Нэр\nСарнай\n".encode())},
                           params={"school_id": school, "year_id": "2024-2025", "lang": "en"},
                           headers=token("school_admin", school))
    error = response.json()["error"]
    assert response.status_code == 422 and error["code"] == "import_rejected"
    assert error["details"]["rows"][0]["row"] == 1 and "Register number" in error["details"]["rows"][0]["message"]


def test_a_clean_dry_run_is_imported_on_confirmation(client: TestClient, school: str, class_5a: str) -> None:
    checked = upload(client, school, GOOD_ROWS, dry_run=True).json()
    assert checked["state"] == "done" and checked["summary"]["learners_created"] == 2
    admin = token("school_admin", school)
    imported = client.post(f"{API}/imports/{checked['id']}/confirm", params={"wait_s": 20}, headers=admin).json()
    assert imported["state"] == "done" and not imported["dry_run"]
    again = client.post(f"{API}/imports/{checked['id']}/confirm", headers=admin)
    assert again.status_code == 409 and again.json()["error"]["code"] == "import_not_confirmable"


def test_another_schools_admin_cannot_read_an_import(client: TestClient, school: str, class_5a: str) -> None:
    job = upload(client, school, GOOD_ROWS).json()
    response = client.get(f"{API}/imports/{job['id']}", headers=token("school_admin", "another-school"))
    assert response.status_code == 403


def test_the_template_lists_the_columns(client: TestClient) -> None:
    response = client.get(f"{API}/imports/class-lists/template.csv?lang=en", headers=token("school_admin", "s"))
    assert response.status_code == 200 and response.text.startswith("\ufeffClass,Register number")
