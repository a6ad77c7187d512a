"""hr's bulk staff path on SQLite and PostgreSQL (COPY): many schools in one request, all or none, row errors."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from esis.hr.v1 import hr_events_pb2 as pb
from esis_shared.auth import Principal, sign_access_token
from fastapi.testclient import TestClient
from hr.bootstrap import Container
from hr.entrypoints.api.app import build_app
from sqlalchemy import text

from .conftest import AUDIENCE, ISSUER, OTHER_SCHOOL, SCHOOL

pytestmark = pytest.mark.integration
API = "/api/hr/v1"


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(build_app(container)) as test_client:
        yield test_client


@pytest.fixture
def headers(signing_key):
    def sign(role: str, *orgs: str) -> dict[str, str]:
        value = sign_access_token(Principal(f"acc-{role}", role, frozenset(orgs)), signing_key, issuer=ISSUER,
                                  audience=AUDIENCE, ttl_s=300)
        return {"Authorization": f"Bearer {value}"}
    return sign


def rows() -> list[dict[str, str]]:
    return [
        {"org_id": SCHOOL, "register_number": "УБ85031512", "patronymic": "Батын", "given_name": "Болд",
         "birth_date": "1985-03-15", "sex": "male", "position": "teacher", "start_date": "2024-09-01",
         "subjects": "MATH;PHYS"},
        {"org_id": SCHOOL, "register_number": "УБ90062024", "patronymic": "Доржийн", "given_name": "Сарнай",
         "birth_date": "1990-06-20", "sex": "female", "position": "director", "start_date": "2024-09-01"},
        {"org_id": OTHER_SCHOOL, "register_number": "АР88110733", "patronymic": "Ганы", "given_name": "Тэмүүлэн",
         "birth_date": "1988-11-07", "sex": "male", "position": "багш", "start_date": "2024-09-01",
         "subjects": "MON"},
    ]


def outbox_types(container: Container) -> list[str]:
    with container.engine.connect() as conn:
        return [t for (t,) in conn.execute(text("SELECT event_type FROM outbox ORDER BY seq"))]


def test_staff_of_several_schools_land_with_their_hire_events(client, container, headers) -> None:
    response = client.post(f"{API}/bulk/staff", json={"rows": rows()}, headers=headers("ministry"))
    assert response.status_code == 201, response.text
    assert response.json() == {"rows": 3, "staff": 3, "positions": 3}
    listed = client.get(f"{API}/staff", params={"org_id": SCHOOL, "as_of": "2024-10-01"}, headers=headers("ministry"))
    assert listed.status_code == 200 and len(listed.json()["items"]) == 2
    assert outbox_types(container).count("esis.hr.v1.StaffHired") == 3
    assert outbox_types(container).count("esis.hr.v1.StaffQualificationsChanged") == 2
    with container.engine.connect() as conn:
        payloads = [p for (p,) in conn.execute(text(
            "SELECT payload FROM outbox WHERE event_type = 'esis.hr.v1.StaffHired' ORDER BY seq"))]
        aimags = {a for (a,) in conn.execute(text("SELECT aimag FROM outbox"))}
    assert [pb.StaffHired.FromString(p).org_id for p in payloads] == [SCHOOL, SCHOOL, OTHER_SCHOOL]
    assert aimags == {"011"}


def test_one_bad_row_writes_nothing_and_names_row_and_field(client, container, headers) -> None:
    body = rows()
    body[1]["birth_date"] = "1990-13-40"
    response = client.post(f"{API}/bulk/staff", json={"rows": body}, headers=headers("ministry"),
                           params={"lang": "en"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "bulk_rejected"
    assert [(e["row"], e["field"]) for e in error["details"]["errors"]] == [(1, "birth_date")]
    assert outbox_types(container) == []
    with container.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM staff")).scalar_one() == 0


def test_re_sending_is_rejected_row_by_row(client, headers) -> None:
    assert client.post(f"{API}/bulk/staff", json={"rows": rows()}, headers=headers("ministry")).status_code == 201
    again = client.post(f"{API}/bulk/staff", json={"rows": rows()}, headers=headers("ministry"))
    assert again.status_code == 422
    assert {(e["row"], e["code"]) for e in again.json()["error"]["details"]["errors"]} == {
        (0, "staff_register_number_taken"), (1, "staff_register_number_taken"), (2, "staff_register_number_taken")}


def test_only_the_ministry_loads_staff_in_bulk(client, headers) -> None:
    response = client.post(f"{API}/bulk/staff", json={"rows": rows()}, headers=headers("school_admin", SCHOOL))
    assert response.status_code == 403
