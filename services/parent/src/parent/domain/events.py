"""Facts the portal publishes (mapped to esis.parent.v1 messages by adapters/messages.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class ChildLinked:
    account_id: str
    learner_id: str
    guardian_id: str
    relationship: str
    occurred_at: datetime


@dataclass(frozen=True)
class ChildUnlinked:
    account_id: str
    learner_id: str
    reason: str  # "revoked_by_school" | "removed_by_guardian"
    occurred_at: datetime


@dataclass(frozen=True)
class MessagePosted:
    thread_id: str
    message_id: str
    learner_id: str
    guardian_account_id: str
    teacher_account_id: str
    author_role: str
    occurred_at: datetime


@dataclass(frozen=True)
class ConsultationRequested:
    consultation_id: str
    learner_id: str
    guardian_account_id: str
    teacher_account_id: str
    occurred_at: datetime


@dataclass(frozen=True)
class ConsultationAnswered:
    consultation_id: str
    learner_id: str
    accepted: bool
    scheduled_for: datetime | None
    occurred_at: datetime


Event = ChildLinked | ChildUnlinked | MessagePosted | ConsultationRequested | ConsultationAnswered
