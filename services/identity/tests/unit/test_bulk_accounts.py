"""Accounts created in bulk without passwords, and their one-time activation codes."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient
from identity.adapters.orm import account_activations, accounts
from identity.adapters.passwords import Argon2Hasher
from identity.bootstrap import Container
from identity.domain.activation import PASSWORD_NOT_SET, hash_code, new_code, normalise_code
from identity.entrypoints.api.app import build_app
from sqlalchemy import func, select

API = "/api/identity/v1"
PASSWORD = "Correct-horse-42"
NEW_PASSWORD = "Saruul-2024-math"


@pytest.fixture
def client(container: Container) -> Iterator[TestClient]:
    with TestClient(build_app(container)) as test_client:
        yield test_client


def sign_in(client: TestClient, username: str, password: str = PASSWORD) -> dict[str, str]:
    response = client.post(f"{API}/auth/login", json={"username": username, "password": password})
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


def teacher(n: int, school: str = "school-1", **extra: Any) -> dict[str, Any]:
    return {"username": f"t-{n:04d}", "role": "teacher", "display_name": f"Багш {n}", "org_ids": [school], **extra}


def count(container: Container, table: Any) -> int:
    with container.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def bulk(client: TestClient, headers: dict[str, str], rows: list[dict[str, Any]]) -> Any:
    return client.post(f"{API}/accounts:bulk", json={"accounts": rows}, headers=headers)


def activate(client: TestClient, username: str, code: str, password: str = NEW_PASSWORD) -> Any:
    return client.post(f"{API}/auth/activate",
                       json={"username": username, "activation_code": code, "new_password": password})


def test_an_administrator_creates_accounts_in_bulk_each_with_its_own_code(client, seed, container, staged) -> None:
    seed("bold", "ministry")
    rows = [teacher(1), {"username": "p-0001", "role": "parent", "org_ids": ["school-1"], "child_ids": ["l-1"]}]
    response = bulk(client, sign_in(client, "bold"), rows)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["created"] == 2 and [a["row"] for a in body["accounts"]] == [0, 1]
    codes = [a["activation_code"] for a in body["accounts"]]
    assert len(set(codes)) == 2 and all(len(normalise_code(c)) == 16 for c in codes)
    with container.engine.connect() as conn:
        hashes = dict(conn.execute(select(accounts.c.username, accounts.c.password_hash)).all())
        stored = set(conn.execute(select(account_activations.c.code_hash)).scalars())
    assert hashes["t-0001"] == hashes["p-0001"] == PASSWORD_NOT_SET
    assert stored == {hash_code(c) for c in codes}  # only hashes are kept
    created = staged("esis.identity.v1.AccountCreated")
    assert [m.username for _, _, m in created][-2:] == ["t-0001", "p-0001"]
    assert created[-1][2].child_ids == ["l-1"]


def test_one_bad_row_creates_nothing_and_every_problem_is_named(client, seed, container, staged) -> None:
    seed("admin.s1", "school_admin", orgs=("school-1",))
    seed("t-0009", "teacher", orgs=("school-1",))
    before = (count(container, accounts), len(staged()))
    rows = [teacher(1), {"username": "X", "role": "teacher", "org_ids": ["school-1"]}, teacher(2, "school-2"),
            teacher(9), teacher(1), {"username": "t-0003", "role": "king", "org_ids": ["school-1"]},
            {"username": "t-0004", "role": "ministry"}]
    response = bulk(client, sign_in(client, "admin.s1"), rows)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "bulk_rejected" and error["details"]["checked_rows"] == 7
    problems = {(p["row"], p["field"], p["code"]) for p in error["details"]["rows"]}
    assert problems == {(1, "username", "validation_error"), (2, "org_ids", "forbidden"),
                        (3, "username", "username_taken"), (4, "username", "username_repeated"),
                        (5, "role", "validation_error"), (6, "role", "forbidden")}
    assert all(p["message_mn"] for p in error["details"]["rows"])
    assert {"field": "accounts[2].org_ids"}.items() <= error["details"]["fields"][1].items()
    assert (count(container, accounts), len(staged())) == before


def test_only_administrators_may_create_in_bulk(client, seed) -> None:
    seed("teach", "teacher", orgs=("school-1",))
    response = bulk(client, sign_in(client, "teach"), [teacher(1)])
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"


def test_a_request_is_bounded(client, seed) -> None:
    seed("bold", "ministry")
    headers = sign_in(client, "bold")
    assert bulk(client, headers, []).status_code == 422
    assert bulk(client, headers, [teacher(n) for n in range(5001)]).status_code == 422


def test_the_code_sets_the_first_password_once_and_signs_in(client, seed) -> None:
    seed("bold", "ministry")
    created = bulk(client, sign_in(client, "bold"), [teacher(1)]).json()["accounts"][0]
    no_password = client.post(f"{API}/auth/login", json={"username": "t-0001", "password": "Anything-at-all-1"})
    assert no_password.status_code == 401 and no_password.json()["error"]["code"] == "invalid_credentials"
    typed = created["activation_code"].replace("-", " ").lower()  # as a person may type it
    signed_in = activate(client, "t-0001", typed)
    assert signed_in.status_code == 200, signed_in.text
    me = client.get(f"{API}/me", headers={"Authorization": f"Bearer {signed_in.json()['access_token']}"}).json()
    assert me["username"] == "t-0001" and me["status"] == "active"
    assert sign_in(client, "t-0001", NEW_PASSWORD)
    again = activate(client, "t-0001", created["activation_code"], "Another-pass-99")
    assert again.status_code == 401 and again.json()["error"]["code"] == "invalid_activation"


def test_a_weak_password_is_refused_without_using_up_the_code(client, seed) -> None:
    seed("bold", "ministry")
    code = bulk(client, sign_in(client, "bold"), [teacher(1)]).json()["accounts"][0]["activation_code"]
    weak = activate(client, "t-0001", code, "short")
    assert weak.status_code == 422 and weak.json()["error"]["code"] == "weak_password"
    assert activate(client, "t-0001", code).status_code == 200


def test_wrong_codes_count_as_failed_sign_ins_and_lock_the_account(client, seed) -> None:
    seed("bold", "ministry")
    code = bulk(client, sign_in(client, "bold"), [teacher(1)]).json()["accounts"][0]["activation_code"]
    answers = [activate(client, "t-0001", new_code()).json()["error"]["code"] for _ in range(5)]
    assert answers == ["invalid_activation"] * 4 + ["account_locked"]
    assert activate(client, "t-0001", code).status_code == 423  # even the right code waits for the lock to pass


def test_an_unknown_username_gets_the_same_answer(client) -> None:
    response = activate(client, "nobody", new_code())
    assert response.status_code == 401 and response.json()["error"]["code"] == "invalid_activation"


def test_an_expired_code_no_longer_works_and_a_new_one_can_be_issued(client, seed, clock) -> None:
    seed("admin.s1", "school_admin", orgs=("school-1",))
    headers = sign_in(client, "admin.s1")
    created = bulk(client, headers, [teacher(1)]).json()["accounts"][0]
    clock.advance(days=31)
    headers = sign_in(client, "admin.s1")
    assert activate(client, "t-0001", created["activation_code"]).json()["error"]["code"] == "invalid_activation"
    issued = client.post(f"{API}/accounts/{created['id']}/activation", headers=headers)
    assert issued.status_code == 201 and issued.json()["username"] == "t-0001"
    assert activate(client, "t-0001", issued.json()["activation_code"]).status_code == 200
    with_password = client.post(f"{API}/accounts/{created['id']}/activation", headers=headers)
    assert with_password.status_code == 403


def test_no_password_verifies_against_an_account_awaiting_activation() -> None:
    hasher = Argon2Hasher.fast_for_tests()
    assert not hasher.verify(PASSWORD_NOT_SET, "")
    assert not hasher.verify(PASSWORD_NOT_SET, PASSWORD_NOT_SET)
