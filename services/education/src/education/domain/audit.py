"""The access log: every staff read of a learner's record (who, what, when, why), shown per learner."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from education.domain.access import Actor
from education.domain.base import new_id
from education.domain.errors import invalid

PURPOSE_MAX = 200


@dataclass(frozen=True)
class AccessLogEntry:
    id: str
    learner_id: str
    actor_id: str
    actor_role: str
    what: str  # profile | roster | guardians | grpc:GetLearner …
    purpose: str
    at: datetime


def log_read(actor: Actor, learner_id: str, what: str, purpose: str, at: datetime) -> AccessLogEntry:
    reason = " ".join(purpose.split())
    if not reason:
        raise invalid("purpose", "purpose_required", "Суралцагчийн мэдээллийг үзэх зорилгоо бичнэ үү.",
                      "State the purpose of viewing the learner's record.")
    return AccessLogEntry(new_id(), learner_id, actor.id, actor.role.value, what, reason[:PURPOSE_MAX], at)
