"""Teacher feedback to the ministry: send, follow, and (ministry, aimag, school) handle it."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field

from teacher.domain.feedback import FeedbackStatus
from teacher.entrypoints.api.deps import ActorDep, ContainerDep
from teacher.service_layer import commands
from teacher.service_layer.views import feedback as views

BASE = "/api/teacher/v1/feedback"
router = APIRouter(prefix=BASE, tags=["feedback"])


class FeedbackIn(BaseModel):
    category: str = Field(max_length=32)
    text: str = Field(max_length=5000)
    attachment_ref: str = Field("", max_length=200, description="id of an uploaded file, if any")
    anonymous_to_school: bool = Field(False, description="the school (and aimag) never sees who sent it")
    school_id: str | None = Field(None, max_length=64, description="needed only when you work at several schools")


class ForwardIn(BaseModel):
    to_kind: Literal["aimag", "school"]
    to_id: str = Field(min_length=1, max_length=64)
    note: str = Field("", max_length=5000)


class AnswerIn(BaseModel):
    answer: str = Field(min_length=1, max_length=5000)


class HistoryRead(BaseModel):
    status: str
    at: datetime
    by: str
    note: str


class FeedbackRead(BaseModel):
    id: str
    category: str
    text: str
    status: str
    created_at: datetime
    aimag: str | None
    school_id: str | None = Field(description="hidden from the school and aimag when sent anonymously")
    sender_account_id: str | None = Field(description="null when hidden from the reader")
    anonymous_to_school: bool
    attachment_ref: str
    forwarded_to_kind: str
    forwarded_to_id: str
    answer: str
    answered_at: datetime | None
    you_handle_as: str | None
    history: list[HistoryRead]

    @classmethod
    def of(cls, item: views.FeedbackItem) -> FeedbackRead:
        f = item.feedback
        return cls(id=f.id, category=f.category, text=f.text, status=f.status.value, created_at=f.created_at,
                   aimag=f.aimag, school_id=f.school_id if item.sender_id else f.public_school_id or None,
                   sender_account_id=item.sender_id, anonymous_to_school=f.anonymous_to_school,
                   attachment_ref=f.attachment_ref, forwarded_to_kind=f.forwarded_to_kind,
                   forwarded_to_id=f.forwarded_to_id, answer=f.answer, answered_at=f.answered_at,
                   you_handle_as=item.handled_as,
                   history=[HistoryRead(status=h.status.value, at=h.at, by=h.by_kind, note=h.note) for h in f.history])


def _read(container: Any, actor: Any, feedback_id: str) -> FeedbackRead:
    return FeedbackRead.of(views.feedback_detail(actor, container.uow(), feedback_id))


@router.post("", status_code=201, response_model=FeedbackRead)
def send(body: FeedbackIn, actor: ActorDep, container: ContainerDep, response: Response) -> FeedbackRead:
    item = container.handle(commands.SendFeedback(actor, body.category, body.text, body.attachment_ref,
                                                  body.anonymous_to_school, body.school_id))
    response.headers["Location"] = f"{BASE}/{item.id}"
    return _read(container, actor, item.id)


@router.get("/mine", response_model=list[FeedbackRead])
def mine(actor: ActorDep, container: ContainerDep) -> list[FeedbackRead]:
    return [FeedbackRead.of(i) for i in views.my_feedback(actor, container.uow())]


@router.get("/inbox", response_model=list[FeedbackRead])
def inbox(actor: ActorDep, container: ContainerDep, status: FeedbackStatus | None = None) -> list[FeedbackRead]:
    """The ministry's inbox, or what the ministry forwarded to the caller's aimag or school."""
    return [FeedbackRead.of(i) for i in views.inbox(actor, container.uow(), status)]


@router.get("/counts")
def counts(actor: ActorDep, container: ContainerDep) -> dict[str, Any]:
    """Items by category, by aimag (NSO code, "" when unknown), by both, and by status (ministry only)."""
    found = views.counts(actor, container.uow())
    return {"total": found.total, "by_category": found.by_category, "by_aimag": found.by_aimag,
            "by_status": found.by_status,
            "by_category_and_aimag": [{"category": c, "aimag": a, "count": n}
                                      for (c, a), n in sorted(found.by_category_and_aimag.items())]}


@router.get("/{feedback_id}", response_model=FeedbackRead)
def detail(feedback_id: str, actor: ActorDep, container: ContainerDep) -> FeedbackRead:
    return _read(container, actor, feedback_id)


@router.post("/{feedback_id}/review", response_model=FeedbackRead)
def review(feedback_id: str, actor: ActorDep, container: ContainerDep) -> FeedbackRead:
    container.handle(commands.ReviewFeedback(actor, feedback_id))
    return _read(container, actor, feedback_id)


@router.post("/{feedback_id}/forward", response_model=FeedbackRead)
def forward(feedback_id: str, body: ForwardIn, actor: ActorDep, container: ContainerDep) -> FeedbackRead:
    container.handle(commands.ForwardFeedback(actor, feedback_id, body.to_kind, body.to_id, body.note))
    return _read(container, actor, feedback_id)


@router.post("/{feedback_id}/answer", response_model=FeedbackRead)
def answer(feedback_id: str, body: AnswerIn, actor: ActorDep, container: ContainerDep) -> FeedbackRead:
    container.handle(commands.AnswerFeedback(actor, feedback_id, body.answer))
    return _read(container, actor, feedback_id)
