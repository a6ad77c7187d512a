"""The JSON API as a guardian's app uses it: claim, read, and never reach another child."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from parent.entrypoints.api.app import build_app

from .apptools import container, token
from .conftest import MOTHER, STRANGER, TEACHER

BASE = "/api/parent/v1"
CLAIM = {"learner_register_number": "УБ14230211", "guardian_given_name": "Оюун", "guardian_phone": "99112233"}
CHILD_GETS = ["", "/today", "/attendance", "/attendance?month=2026-10", "/grades", "/homework", "/timetable",
              "/teachers", "/growth", "/access-log", "/threads"]


@pytest.fixture
def client(tmp_path) -> TestClient:
    app = build_app(container(tmp_path))
    with TestClient(app) as test_client:
        yield test_client


def as_(who) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(who)}"}


@pytest.fixture
def linked(client) -> TestClient:
    assert client.post(f"{BASE}/children/claims", json=CLAIM, headers=as_(MOTHER)).status_code == 201
    other = {"learner_register_number": "УБ14270101", "guardian_given_name": "Болд", "guardian_phone": "88001122"}
    assert client.post(f"{BASE}/children/claims", json=other, headers=as_(STRANGER)).status_code == 201
    return client


def test_a_claimed_child_appears_in_the_list(linked) -> None:
    answer = linked.get(f"{BASE}/children", headers=as_(MOTHER)).json()

    assert [c["child"]["given_name"] for c in answer] == ["Бат"]


def test_a_wrong_claim_is_a_404_that_says_nothing_about_the_child(client) -> None:
    unknown = client.post(f"{BASE}/children/claims", headers=as_(MOTHER),
                          json={**CLAIM, "learner_register_number": "ХО09123456"})
    wrong_phone = client.post(f"{BASE}/children/claims", headers=as_(MOTHER), json={**CLAIM, "guardian_phone": "1234"})

    assert unknown.status_code == wrong_phone.status_code == 404
    assert unknown.json() == wrong_phone.json()
    assert unknown.json()["error"]["code"] == "claim_not_confirmed"


def test_repeated_wrong_claims_get_429_with_retry_after(client) -> None:
    for _ in range(5):
        client.post(f"{BASE}/children/claims", headers=as_(MOTHER), json={**CLAIM, "guardian_given_name": "Буруу"})

    refused = client.post(f"{BASE}/children/claims", headers=as_(MOTHER), json=CLAIM)

    assert refused.status_code == 429
    assert int(refused.headers["Retry-After"]) > 3500
    assert refused.json()["error"]["details"]["message_mn"].startswith("Амжилтгүй оролдлого")


@pytest.mark.parametrize("suffix", CHILD_GETS)
@pytest.mark.parametrize("learner_id", ["lrn-other", "lrn-guessed-1", "lrn-bat%20"])
def test_every_child_endpoint_answers_a_foreign_or_guessed_id_with_the_same_404(linked, suffix, learner_id) -> None:
    answer = linked.get(f"{BASE}/children/{learner_id}{suffix}", headers=as_(MOTHER))

    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "child_not_found"


@pytest.mark.parametrize("suffix", CHILD_GETS)
def test_every_child_endpoint_serves_the_guardians_own_child(linked, suffix) -> None:
    assert linked.get(f"{BASE}/children/lrn-bat{suffix}", headers=as_(MOTHER)).status_code == 200


@pytest.mark.parametrize(("method", "path", "body"), [
    ("delete", "/children/lrn-other", None),
    ("post", "/children/lrn-other/threads", {"teacher_account_id": "acc-teacher", "subject": "x", "text": "y"}),
    ("post", "/children/lrn-other/consultations", {"teacher_account_id": "acc-teacher", "topic": "x"}),
    ("get", "/threads/thr-guessed", None),
    ("post", "/threads/thr-guessed/messages", {"text": "y"}),
])
def test_writes_about_a_foreign_child_or_thread_are_404(linked, method, path, body) -> None:
    answer = linked.request(method.upper(), f"{BASE}{path}", headers=as_(MOTHER), json=body)

    assert answer.status_code == 404


def test_another_guardians_thread_stays_hidden(linked) -> None:
    started = linked.post(f"{BASE}/children/lrn-bat/threads", headers=as_(MOTHER),
                          json={"teacher_account_id": "acc-teacher", "subject": "Дүн", "text": "Сайн байна уу"})
    thread_id = started.json()["thread_id"]

    assert linked.get(f"{BASE}/threads/{thread_id}", headers=as_(STRANGER)).status_code == 404
    assert linked.get(f"{BASE}/threads/{thread_id}", headers=as_(TEACHER)).status_code == 200
    assert [t["thread_id"] for t in linked.get(f"{BASE}/teacher/inbox", headers=as_(TEACHER)).json()["threads"]] \
        == [thread_id]


def test_without_a_token_nothing_is_served(linked) -> None:
    assert linked.get(f"{BASE}/children").status_code == 401
    assert linked.get(f"{BASE}/children/lrn-bat").status_code == 401


def test_a_teacher_token_gets_403_on_the_guardians_views(linked) -> None:
    answer = linked.get(f"{BASE}/children/lrn-bat", headers=as_(TEACHER))

    assert answer.status_code == 403 and answer.json()["error"]["code"] == "parents_only"


def test_bad_preferences_name_the_field(client) -> None:
    answer = client.put(f"{BASE}/preferences", headers=as_(MOTHER), json={"channels": ["fax"]})

    assert answer.status_code == 422
    assert answer.json()["error"]["details"]["fields"][0]["field"] == "channels"


def test_preferences_and_profile_round_trip(client) -> None:
    client.put(f"{BASE}/profile", headers=as_(MOTHER), json={"phone": "99112233", "email": "o@example.mn"})
    client.put(f"{BASE}/preferences", headers=as_(MOTHER),
               json={"channels": ["sms", "email"], "quiet_start": "21:30", "quiet_end": "07:00",
                     "types": {"mark": {"enabled": False}}})

    prefs = client.get(f"{BASE}/preferences", headers=as_(MOTHER)).json()
    assert prefs["channels"] == ["sms", "email"] and prefs["quiet_start"] == "21:30:00"
    assert prefs["types"]["mark"] == {"enabled": False, "digest": False}
    assert client.get(f"{BASE}/profile", headers=as_(MOTHER)).json()["email"] == "o@example.mn"
