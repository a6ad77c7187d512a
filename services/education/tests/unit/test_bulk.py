"""The bulk paths on SQLite through the HTTP API: all or none, row errors naming list, row and field, events."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from education.bootstrap import Container, bootstrap
from education.config import Settings
from education.entrypoints.api.app import build_app
from education.service_layer.clock import FixedClock
from esis_shared.auth import Principal, StaticKeyVerifier, jwks_document, sign_access_token
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey
from sqlalchemy import text

KEY = RSAKey.generate_key(2048)
API = "/api/education/v1"


def token(role: str, *orgs: str) -> dict[str, str]:
    principal = Principal(subject=f"{role}-1", role=role, org_ids=frozenset(orgs))
    signed = sign_access_token(principal, KEY, issuer="esis-identity", audience="esis", ttl_s=600)
    return {"Authorization": f"Bearer {signed}"}


MINISTRY = token("ministry")


@pytest.fixture
def container(tmp_path: Path):
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'education.db'}", kafka_enabled=False)
    built = bootstrap(settings, clock=FixedClock(datetime(2024, 10, 1, 2, tzinfo=UTC)), run_migrations=True)
    yield built
    built.close()


@pytest.fixture
def client(container: Container):
    app = build_app(container)
    app.state.token_verifier = StaticKeyVerifier(jwks_document([KEY]), issuer="esis-identity", audience="esis")
    with TestClient(app) as test_client:
        assert test_client.post(f"{API}/school-years", json={"start_year": 2024}, headers=MINISTRY).status_code == 201
        yield test_client


def events(container: Container) -> dict[str, int]:
    with container.engine.connect() as conn:
        return dict(conn.execute(text("SELECT event_type, count(*) FROM outbox GROUP BY event_type")).all())


def count(container: Container, table: str) -> int:
    with container.engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def load_schools(client: TestClient, country) -> None:
    assert client.post(f"{API}/bulk/org-units", json=country.org_units(), headers=MINISTRY).status_code == 201
    assert client.post(f"{API}/bulk/classes", json=country.classes_body(), headers=MINISTRY).status_code == 201


def test_a_good_batch_lands_with_the_events_of_the_per_item_path(client, container, bulk_country) -> None:
    reference_events = events(container)
    load_schools(client, bulk_country)
    response = client.post(f"{API}/bulk/learners", json=bulk_country.learners_body(4), headers=MINISTRY)
    assert response.status_code == 201, response.text
    assert response.json() == {"learners": 4, "guardians": 4, "links": 8, "enrolments": 4}
    roster = client.get(f"{API}/classes/{bulk_country.classes[0]}/roster", params={"purpose": "check"},
                        headers=token("school_admin", bulk_country.school)).json()
    assert len(roster["learners"]) == 4
    learner = client.get(f"{API}/learners/{roster['learners'][0]['id']}", params={"purpose": "check"},
                         headers=MINISTRY).json()
    assert len(learner["guardians"]) == 2
    counted = {kind: n - reference_events.get(kind, 0) for kind, n in events(container).items()}
    assert counted["esis.education.v1.OrgUnitCreated"] == 2 and counted["esis.education.v1.CatchmentChanged"] == 1
    assert counted["esis.education.v1.ClassOpened"] == 2
    assert counted["esis.education.v1.LearnerRegistered"] == 4 and counted["esis.education.v1.LearnerEnrolled"] == 4
    assert counted["esis.education.v1.GuardianLinked"] == 8
    with container.engine.connect() as conn:  # the aimag header is the school's first-level unit, as per item
        aimags = {a for (a,) in conn.execute(text("SELECT DISTINCT aimag FROM outbox WHERE event_type LIKE "
                                                  "'%Learner%'"))}
    assert aimags == {"65"}


def test_a_sibling_loaded_later_links_to_the_guardians_on_record(client, container, bulk_country) -> None:
    load_schools(client, bulk_country)
    first = bulk_country.learners_body(2)
    assert client.post(f"{API}/bulk/learners", json=first, headers=MINISTRY).status_code == 201
    second = bulk_country.learners_body(1, first=2)
    second["links"] = [{**link, "guardian_id": first["guardians"][i]["id"]} for i, link in enumerate(second["links"])]
    second["guardians"] = []
    response = client.post(f"{API}/bulk/learners", json=second, headers=MINISTRY)
    assert response.status_code == 201 and response.json()["links"] == 2 and response.json()["guardians"] == 0
    assert count(container, "guardians") == 2


def test_one_bad_row_writes_nothing_and_names_the_row_and_field(client, container, bulk_country) -> None:
    load_schools(client, bulk_country)
    before = (events(container), count(container, "learners"), count(container, "guardians"))
    body = bulk_country.learners_body(4)
    body["learners"][2]["register_number"] = "АР14333101"  # month 13 (+20)
    response = client.post(f"{API}/bulk/learners", json=body, headers=MINISTRY, params={"lang": "en"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "bulk_rejected"
    assert [(e["list"], e["row"], e["field"]) for e in error["details"]["errors"]] == [
        ("learners", 2, "register_number")]  # its links and family are left out, not reported twice
    assert (events(container), count(container, "learners"), count(container, "guardians")) == before


def test_row_errors_are_in_mongolian_by_default_and_name_unknown_classes(client, bulk_country) -> None:
    load_schools(client, bulk_country)
    body = bulk_country.learners_body(2)
    body["learners"][1]["class_id"] = "7a1c0a51-0000-4000-8000-0000000000ff"
    body["learners"][0]["given_name"] = "Saraa"
    errors = client.post(f"{API}/bulk/learners", json=body, headers=MINISTRY).json()["error"]["details"]["errors"]
    assert errors[0]["row"] == 0 and errors[0]["field"] == "given_name" and "кирилл" in errors[0]["message"]
    assert errors[1]["row"] == 1 and errors[1]["field"] == "class_id" and errors[1]["code"] == "class_not_found"


def test_re_sending_a_written_batch_is_rejected_row_by_row(client, container, bulk_country) -> None:
    load_schools(client, bulk_country)
    body = bulk_country.learners_body(2)
    assert client.post(f"{API}/bulk/learners", json=body, headers=MINISTRY).status_code == 201
    before = events(container)
    response = client.post(f"{API}/bulk/learners", json=body, headers=MINISTRY)
    assert response.status_code == 422
    codes = {(e["list"], e["row"], e["code"]) for e in response.json()["error"]["details"]["errors"]}
    assert {("learners", 0, "id_taken"), ("learners", 1, "id_taken"), ("guardians", 0, "id_taken")} <= codes
    again = client.post(f"{API}/bulk/org-units", json=bulk_country.org_units(), headers=MINISTRY)
    assert {(e["row"], e["code"]) for e in again.json()["error"]["details"]["errors"]} == {
        (0, "id_taken"), (0, "org_code_taken"), (1, "id_taken"), (1, "org_code_taken")}
    assert events(container) == before and count(container, "learners") == 2


def test_duplicates_inside_a_request_and_a_full_class_are_row_errors(client, bulk_country) -> None:
    load_schools(client, bulk_country)
    body = bulk_country.learners_body(2)
    body["learners"][1]["register_number"] = body["learners"][0]["register_number"]
    body["learners"][1]["sex"] = body["learners"][0]["sex"]
    body["learners"][1]["birth_date"] = body["learners"][0]["birth_date"]
    errors = client.post(f"{API}/bulk/learners", json=body, headers=MINISTRY).json()["error"]["details"]["errors"]
    assert ("learners", 1, "register_number", "learner_register_number_repeated") in {
        (e["list"], e["row"], e["field"], e["code"]) for e in errors}
    errors = client.post(f"{API}/bulk/learners", json=bulk_country.learners_body(31),
                         headers=MINISTRY).json()["error"]["details"]["errors"]  # 5А has 30 seats
    assert [(e["row"], e["field"], e["code"]) for e in errors] == [(30, "class_id", "class_full")]
    classes = bulk_country.classes_body()
    classes["classes"] = [{**classes["classes"][0], "id": None, "capacity": 61}]
    errors = client.post(f"{API}/bulk/classes", json=classes, headers=MINISTRY).json()["error"]["details"]["errors"]
    assert [(e["row"], e["field"]) for e in errors] == [(0, "capacity")]


def test_only_the_ministry_loads_in_bulk(client, bulk_country) -> None:
    response = client.post(f"{API}/bulk/org-units", json=bulk_country.org_units(),
                           headers=token("school_admin", bulk_country.school))
    assert response.status_code == 403


def test_a_request_over_the_limit_is_refused_before_reading_rows(client, bulk_country) -> None:
    body = {"units": [bulk_country.org_units()["units"][0]] * 5001}
    response = client.post(f"{API}/bulk/org-units", json=body, headers=MINISTRY)
    assert response.status_code == 422
    assert response.json()["error"]["details"]["fields"][0]["field"].endswith("units")
