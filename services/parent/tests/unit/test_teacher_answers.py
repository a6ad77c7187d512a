"""Answering a consultation request (the handler behind both the API and the teacher's pages): a decline carries its
reason, and a teacher who no longer teaches the child's class cannot answer an old request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from esis_shared.auth import Principal
from fastapi.testclient import TestClient
from parent.domain.errors import NotFound
from parent.entrypoints.api.app import build_app
from parent.service_layer.handlers import messaging as m

from .apptools import container, token
from .conftest import MOTHER, TEACHER

BASE = "/api/parent/v1"
CLAIM = {"learner_register_number": "УБ14230211", "guardian_given_name": "Оюун", "guardian_phone": "99112233"}


def as_(who: Principal) -> dict[str, str]:
    return {"Authorization": f"Bearer {token(who)}"}


@pytest.fixture
def asked(tmp_path):
    built = container(tmp_path)
    client = TestClient(build_app(built))
    assert client.post(f"{BASE}/children/claims", json=CLAIM, headers=as_(MOTHER)).status_code == 201
    request = client.post(f"{BASE}/children/lrn-bat/consultations", headers=as_(MOTHER),
                          json={"teacher_account_id": "acc-teacher", "topic": "Дүн", "preferred_times": ""})
    assert request.status_code == 201
    yield client, built.deps, request.json()["consultation_id"]
    built.close()


def test_a_decline_without_a_reason_is_refused_naming_the_field(asked) -> None:
    client, _, consultation_id = asked
    refused = client.post(f"{BASE}/consultations/{consultation_id}/answer", headers=as_(TEACHER),
                          json={"accept": False, "note": "  "})

    assert refused.status_code == 422
    assert refused.json()["error"]["details"]["fields"][0]["field"] == "note"
    answered = client.post(f"{BASE}/consultations/{consultation_id}/answer", headers=as_(TEACHER),
                           json={"accept": False, "note": "Сургалттай"})
    assert answered.status_code == 200 and answered.json()["state"] == "declined"
    mine = client.get(f"{BASE}/children/lrn-bat/threads", headers=as_(MOTHER)).json()["consultations"]
    assert [(c["state"], c["teacher_note"]) for c in mine] == [("declined", "Сургалттай")]


def test_a_teacher_moved_to_another_class_cannot_answer_an_old_request(asked) -> None:
    _, deps, consultation_id = asked
    moved = Principal("acc-teacher", "teacher", class_ids=frozenset({"cls-9a"}), name="Б.Сараа")

    with pytest.raises(NotFound):
        m.answer_consultation(m.AnswerConsultation(consultation_id, True, deps.clock() + timedelta(days=1)), moved,
                              deps)
    with deps.uow() as uow:
        assert uow.consultations.get(consultation_id).state == "requested"
