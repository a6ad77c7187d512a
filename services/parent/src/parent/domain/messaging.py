"""Threads between one guardian and one teacher about one child, and consultation requests.

A thread is private to its guardian and teacher; another guardian of the same child has their own threads.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from parent.domain.errors import Conflict, invalid

MAX_TEXT = 2000
GUARDIAN, TEACHER = "guardian", "teacher"


def new_id(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:16]}"


def clean_text(value: str, field_name: str = "text", limit: int = MAX_TEXT) -> str:
    text = value.strip()
    if not text:
        raise invalid(field_name, "Write something first", "Эхлээд бичнэ үү.", code="empty")
    if len(text) > limit:
        raise invalid(field_name, f"At most {limit} characters", f"Хамгийн ихдээ {limit} тэмдэгт.", code="too_long")
    return text


@dataclass(frozen=True)
class Message:
    message_id: str
    thread_id: str
    author_role: str  # guardian | teacher
    author_account_id: str
    text: str
    posted_at: datetime


@dataclass
class Thread:
    thread_id: str
    learner_id: str
    guardian_account_id: str
    teacher_account_id: str
    teacher_name: str
    subject: str
    started_at: datetime
    last_message_at: datetime
    messages: list[Message] = field(default_factory=list)

    def participant_role(self, account_id: str) -> str | None:
        if account_id == self.guardian_account_id:
            return GUARDIAN
        if account_id == self.teacher_account_id:
            return TEACHER
        return None

    def post(self, author_account_id: str, text: str, now: datetime) -> Message:
        role = self.participant_role(author_account_id)
        assert role is not None, "callers check participation first"
        message = Message(new_id("msg"), self.thread_id, role, author_account_id, clean_text(text), now)
        self.messages.append(message)
        self.last_message_at = now
        return message


class ConsultationState:
    REQUESTED = "requested"
    ACCEPTED = "accepted"
    DECLINED = "declined"


@dataclass
class Consultation:
    consultation_id: str
    learner_id: str
    guardian_account_id: str
    teacher_account_id: str
    topic: str
    preferred_times: str
    requested_at: datetime
    state: str = ConsultationState.REQUESTED
    scheduled_for: datetime | None = None
    teacher_note: str = ""

    def accept(self, at: datetime, note: str, now: datetime) -> None:
        self._check_open()
        if at <= now:
            raise invalid("scheduled_for", "Choose a time in the future", "Ирээдүйн цагийг сонгоно уу.")
        self.state, self.scheduled_for, self.teacher_note = ConsultationState.ACCEPTED, at, note.strip()[:500]

    def decline(self, note: str) -> None:
        self._check_open()
        self.state, self.teacher_note = ConsultationState.DECLINED, note.strip()[:500]

    def _check_open(self) -> None:
        if self.state != ConsultationState.REQUESTED:
            raise Conflict("This request has already been answered", "Энэ хүсэлтэд аль хэдийн хариулсан байна.",
                           code="already_answered")
