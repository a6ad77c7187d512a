"""The bulk paths on PostgreSQL (COPY): a good batch lands with decodable events, a bad row writes nothing, a
re-sent batch is rejected."""

from __future__ import annotations

import pytest
from education.bootstrap import Container
from education.entrypoints.api.app import build_app
from esis.education.v1 import education_events_pb2 as pb
from esis_shared.auth import Principal, StaticKeyVerifier, jwks_document, sign_access_token
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey
from sqlalchemy import text

pytestmark = pytest.mark.integration
KEY = RSAKey.generate_key(2048)
API = "/api/education/v1"
MINISTRY = {"Authorization": "Bearer " + sign_access_token(Principal(subject="ministry-1", role="ministry"), KEY,
                                                           issuer="esis-identity", audience="esis", ttl_s=600)}


@pytest.fixture
def client(pg_container: Container):
    app = build_app(pg_container)
    app.state.token_verifier = StaticKeyVerifier(jwks_document([KEY]), issuer="esis-identity", audience="esis")
    with TestClient(app) as test_client:
        assert test_client.post(f"{API}/school-years", json={"start_year": 2024}, headers=MINISTRY).status_code == 201
        yield test_client


def outbox(container: Container, kind: str) -> list[bytes]:
    with container.engine.connect() as conn:
        return [row[0] for row in conn.execute(text("SELECT payload FROM outbox WHERE event_type = :t ORDER BY seq"),
                                               {"t": f"esis.education.v1.{kind}"})]


def count(container: Container, table: str) -> int:
    with container.engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_a_country_batch_lands_by_copy_with_its_events(client, pg_container, bulk_country) -> None:
    assert client.post(f"{API}/bulk/org-units", json=bulk_country.org_units(), headers=MINISTRY).status_code == 201
    assert client.post(f"{API}/bulk/classes", json=bulk_country.classes_body(), headers=MINISTRY).status_code == 201
    response = client.post(f"{API}/bulk/learners", json=bulk_country.learners_body(30), headers=MINISTRY)
    assert response.status_code == 201, response.text
    assert response.json() == {"learners": 30, "guardians": 30, "links": 60, "enrolments": 30}
    roster = client.get(f"{API}/classes/{bulk_country.classes[0]}/roster", params={"purpose": "check"},
                        headers=MINISTRY).json()
    assert len(roster["learners"]) == 30
    enrolled = [pb.LearnerEnrolled.FromString(p) for p in outbox(pg_container, "LearnerEnrolled")]
    assert len(enrolled) == 30 and {e.school.org_id for e in enrolled} == {bulk_country.school}
    assert {e.school.aimag_code for e in enrolled} == {"65"} and enrolled[0].on.year == 2024
    created = [pb.OrgUnitCreated.FromString(p) for p in outbox(pg_container, "OrgUnitCreated")][-2:]
    assert [c.unit_id for c in created] == [bulk_country.soum, bulk_country.school]
    assert len(outbox(pg_container, "GuardianLinked")) == 60


def test_a_bad_row_or_a_re_sent_batch_writes_nothing(client, pg_container, bulk_country) -> None:
    assert client.post(f"{API}/bulk/org-units", json=bulk_country.org_units(), headers=MINISTRY).status_code == 201
    assert client.post(f"{API}/bulk/classes", json=bulk_country.classes_body(), headers=MINISTRY).status_code == 201
    body = bulk_country.learners_body(10)
    body["links"][3]["relationship"] = "neighbour"
    response = client.post(f"{API}/bulk/learners", json=body, headers=MINISTRY)
    assert response.status_code == 422
    assert [(e["list"], e["row"], e["field"]) for e in response.json()["error"]["details"]["errors"]] == [
        ("links", 3, "relationship")]
    assert count(pg_container, "learners") == 0 and count(pg_container, "guardians") == 0
    assert outbox(pg_container, "LearnerRegistered") == []
    body["links"][3]["relationship"] = "father"
    assert client.post(f"{API}/bulk/learners", json=body, headers=MINISTRY).status_code == 201
    resent = client.post(f"{API}/bulk/learners", json=body, headers=MINISTRY)
    assert resent.status_code == 422 and count(pg_container, "learners") == 10
    assert len(outbox(pg_container, "LearnerRegistered")) == 10


def test_a_batchs_events_come_in_runs_of_one_type_each_learner_in_its_order(client, pg_container, bulk_country):
    assert client.post(f"{API}/bulk/org-units", json=bulk_country.org_units(), headers=MINISTRY).status_code == 201
    assert client.post(f"{API}/bulk/classes", json=bulk_country.classes_body(), headers=MINISTRY).status_code == 201
    before = count(pg_container, "outbox")
    assert client.post(f"{API}/bulk/learners", json=bulk_country.learners_body(20), headers=MINISTRY).status_code == 201
    with pg_container.engine.connect() as conn:
        rows = conn.execute(text("SELECT event_type, key FROM outbox ORDER BY seq OFFSET :n"), {"n": before}).all()
    kinds = [kind.rsplit(".", 1)[-1] for kind, _ in rows]
    runs = [kind for i, kind in enumerate(kinds) if i == 0 or kinds[i - 1] != kind]
    assert runs == ["LearnerRegistered", "LearnerEnrolled", "GuardianLinked"] and len(kinds) == 20 + 20 + 40
    first_key = rows[0][1]
    assert [kind for kind, key in zip(kinds, (k for _, k in rows), strict=True) if key == first_key] == [
        "LearnerRegistered", "LearnerEnrolled", "GuardianLinked", "GuardianLinked"]
