"""Guardian self sign-up as a client sees it: an SMS code, verification that signs in, throttles, privacy."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from identity.adapters.orm import amqp_outbox, outbox, signups
from identity.bootstrap import Container
from identity.domain import signup as rules
from identity.entrypoints.api.app import build_app
from sqlalchemy import func, select

API = "/api/identity/v1"
PHONE = "99112233"
BODY = {"display_name": "Б. Оюун", "phone": PHONE, "password": "Tsetseg-2026-home", "lang": "mn"}


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(build_app(container)) as test_client:
        yield test_client


def sms(container: Container) -> list[dict[str, Any]]:
    with container.engine.connect() as conn:
        return [row.payload for row in conn.execute(select(amqp_outbox).order_by(amqp_outbox.c.seq))]


def last_code(container: Container) -> str:
    found = re.search(r"\b(\d{6})\b", sms(container)[-1]["text"])
    assert found, sms(container)[-1]
    return found.group(1)


def count(container: Container, table: Any) -> int:
    with container.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_sign_up_sends_a_code_and_the_code_signs_in_as_a_parent(client, container) -> None:
    started = client.post(f"{API}/signup", json=BODY)
    assert started.status_code == 202, started.text
    [message] = sms(container)
    assert (message["channel"], message["address"]) == ("sms", PHONE) and "бүртгүүлэх код" in message["text"]

    verified = client.post(f"{API}/signup/verify", json={"phone": PHONE, "code": last_code(container)})

    assert verified.status_code == 200, verified.text
    me = client.get(f"{API}/me", headers={"Authorization": f"Bearer {verified.json()['access_token']}"}).json()
    assert (me["username"], me["role"], me["display_name"], me["child_ids"], me["org_ids"]) == (
        PHONE, "parent", "Б. Оюун", [], [])
    assert client.post(f"{API}/auth/login", json={"username": PHONE, "password": BODY["password"]}).status_code == 200
    assert count(container, signups) == 0


def test_the_account_and_its_event_exist_only_after_the_code(client, container) -> None:
    client.post(f"{API}/signup", json=BODY)
    assert client.post(f"{API}/auth/login", json={"username": PHONE, "password": BODY["password"]}).status_code == 401
    events_before = count(container, outbox)

    client.post(f"{API}/signup/verify", json={"phone": PHONE, "code": last_code(container)})

    with container.engine.connect() as conn:
        types = [r.event_type for r in conn.execute(select(outbox).order_by(outbox.c.seq))][events_before:]
    assert types == ["esis.identity.v1.AccountCreated"]


def test_the_code_is_stored_only_as_a_hash(client, container) -> None:
    client.post(f"{API}/signup", json=BODY)
    code = last_code(container)
    with container.engine.connect() as conn:
        row = conn.execute(select(signups)).one()
    assert code not in str(tuple(row)) and BODY["password"] not in str(tuple(row))
    assert row.code_hash == rules.hash_code(PHONE, code)


def test_a_known_phone_gets_the_same_answer_and_its_owner_a_warning(client, container, seed) -> None:
    seed(PHONE, "parent", orgs=("school-1",))

    answer = client.post(f"{API}/signup", json=BODY)

    assert answer.status_code == 202
    assert answer.json() == client.post(f"{API}/signup", json={**BODY, "phone": "88112233"}).json()
    warning = sms(container)[0]
    assert warning["address"] == PHONE and "бүртгэлтэй" in warning["text"] and not re.search(r"\d{6}", warning["text"])
    assert count(container, signups) == 1  # only the unknown phone's


def test_five_wrong_codes_lock_the_sign_up_even_for_the_right_code(client, container) -> None:
    client.post(f"{API}/signup", json=BODY)
    code = last_code(container)
    wrong = "000000" if code != "000000" else "111111"
    answers = [client.post(f"{API}/signup/verify", json={"phone": PHONE, "code": wrong}) for _ in range(5)]

    assert [a.status_code for a in answers] == [422, 422, 422, 422, 423]
    assert answers[0].json()["error"]["details"]["attempts_left"] == 4
    locked = client.post(f"{API}/signup/verify", json={"phone": PHONE, "code": code})
    assert locked.status_code == 423 and int(locked.headers["Retry-After"]) > 3000


def test_a_code_expires_after_ten_minutes(client, container, clock) -> None:
    client.post(f"{API}/signup", json=BODY)
    clock.advance(minutes=10, seconds=1)

    answer = client.post(f"{API}/signup/verify", json={"phone": PHONE, "code": last_code(container)})

    assert (answer.status_code, answer.json()["error"]["code"]) == (422, "invalid_signup_code")


def test_resend_waits_a_minute_and_replaces_the_code(client, container, clock) -> None:
    client.post(f"{API}/signup", json=BODY)
    first = last_code(container)
    too_soon = client.post(f"{API}/signup/resend", json={"phone": PHONE})
    assert too_soon.status_code == 429 and 1 <= int(too_soon.headers["Retry-After"]) <= 61

    clock.advance(seconds=61)
    assert client.post(f"{API}/signup/resend", json={"phone": PHONE}).status_code == 202
    second = last_code(container)

    if first != second:
        assert client.post(f"{API}/signup/verify", json={"phone": PHONE, "code": first}).status_code == 422
    assert client.post(f"{API}/signup/verify", json={"phone": PHONE, "code": second}).status_code == 200


def test_a_phone_gets_at_most_five_codes_an_hour(client, container, clock) -> None:
    statuses = []
    for _ in range(6):
        statuses.append(client.post(f"{API}/signup/resend" if statuses else f"{API}/signup",
                                    json={"phone": PHONE} if statuses else BODY).status_code)
        clock.advance(seconds=61)
    assert statuses == [202, 202, 202, 202, 202, 429]
    assert len(sms(container)) == 5


def test_one_address_is_throttled_across_phones(client, container) -> None:
    statuses = [client.post(f"{API}/signup", json={**BODY, "phone": f"9911{i:04d}"}).status_code for i in range(21)]
    assert statuses.count(202) == rules.REQUESTS_PER_IP_PER_HOUR and statuses[-1] == 429


@pytest.mark.parametrize(("change", "field"), [({"phone": "12345678"}, "phone"), ({"phone": "9911223"}, "phone"),
                                                ({"display_name": " "}, "display_name"),
                                                ({"password": "short1"}, "password"),
                                                ({"password": "99112233abc"}, "password")])
def test_bad_input_names_the_field_and_writes_nothing(client, container, change, field) -> None:
    answer = client.post(f"{API}/signup", json={**BODY, **change})

    assert answer.status_code == 422
    assert answer.json()["error"]["details"]["fields"][0]["field"] == field
    assert sms(container) == [] and count(container, signups) == 0


def test_phone_numbers_are_read_with_the_country_code() -> None:
    assert rules.normalise_phone("+976 9911-2233") == PHONE
    assert rules.normalise_phone("97699112233") == PHONE


def test_verify_without_a_sign_up_is_the_same_wrong_code_answer(client) -> None:
    answer = client.post(f"{API}/signup/verify", json={"phone": PHONE, "code": "123456"})
    assert (answer.status_code, answer.json()["error"]["code"]) == (422, "invalid_signup_code")


def test_behind_the_gateway_each_guardian_is_throttled_by_their_own_address(client, container) -> None:
    def ask(i: int, address: str) -> int:
        return client.post(f"{API}/signup", json={**BODY, "phone": f"9922{i:04d}"},
                           headers={"X-Forwarded-For": address}).status_code

    first = [ask(i, "203.0.113.7") for i in range(rules.REQUESTS_PER_IP_PER_HOUR + 1)]
    assert first[-1] == 429
    assert ask(100, "198.51.100.9") == 202  # another guardian behind the same gateway is not throttled
