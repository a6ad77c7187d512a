"""/api/parent/v1: threads with teachers, consultation requests, and the teacher's side of both."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from parent.entrypoints.api.deps import PREFIX, DepsDep, PrincipalDep
from parent.entrypoints.api.schemas import (
    ConsultationAnswer,
    ConsultationCreate,
    MessageCreate,
    TeacherThreadCreate,
    ThreadCreate,
    plain,
)
from parent.service_layer import views
from parent.service_layer.handlers import messaging as m

router = APIRouter(prefix=PREFIX, tags=["messages"])


@router.get("/children/{learner_id}/threads")
def threads(learner_id: str, principal: PrincipalDep, deps: DepsDep) -> dict[str, Any]:
    found, consultations = views.threads(principal, learner_id, deps)
    return {"threads": plain(found), "consultations": plain(consultations)}


@router.post("/children/{learner_id}/threads", status_code=201)
def start(learner_id: str, body: ThreadCreate, principal: PrincipalDep, deps: DepsDep) -> dict[str, Any]:
    """Write to one of the child's teachers (continues the conversation if there is one)."""
    cmd = m.StartThread(learner_id, body.teacher_account_id, body.subject, body.text)
    return plain(m.start_thread(cmd, principal, deps))


@router.post("/children/{learner_id}/consultations", status_code=201)
def consult(learner_id: str, body: ConsultationCreate, principal: PrincipalDep, deps: DepsDep) -> dict[str, Any]:
    cmd = m.RequestConsultation(learner_id, body.teacher_account_id, body.topic, body.preferred_times)
    return plain(m.request_consultation(cmd, principal, deps))


@router.get("/threads/{thread_id}")
def thread(thread_id: str, principal: PrincipalDep, deps: DepsDep) -> dict[str, Any]:
    return plain(views.thread(principal, thread_id, deps))


@router.post("/threads/{thread_id}/messages", status_code=201)
def post(thread_id: str, body: MessageCreate, principal: PrincipalDep, deps: DepsDep) -> dict[str, Any]:
    return plain(m.post_message(thread_id, body.text, principal, deps))


@router.get("/teacher/inbox")
def inbox(principal: PrincipalDep, deps: DepsDep) -> dict[str, Any]:
    """A teacher's conversations with guardians and the consultation requests addressed to them."""
    found, consultations = views.teacher_inbox(principal, deps)
    return {"threads": plain(found), "consultations": plain(consultations)}


@router.post("/teacher/threads", status_code=201)
def teacher_start(body: TeacherThreadCreate, principal: PrincipalDep, deps: DepsDep) -> dict[str, Any]:
    cmd = m.StartThread(body.learner_id, body.guardian_account_id, body.subject, body.text)
    return plain(m.start_thread(cmd, principal, deps))


@router.post("/consultations/{consultation_id}/answer")
def answer(consultation_id: str, body: ConsultationAnswer, principal: PrincipalDep, deps: DepsDep) -> dict[str, Any]:
    cmd = m.AnswerConsultation(consultation_id, body.accept, body.scheduled_for, body.note)
    return plain(m.answer_consultation(cmd, principal, deps))
