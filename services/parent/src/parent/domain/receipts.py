"""What the notify service reported about a notification: the guardian sees these on the settings page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

STATUSES = ("queued", "sent", "failed", "suppressed")


@dataclass(frozen=True)
class Receipt:
    key: str
    account_id: str
    event_type: str
    learner_id: str
    channel: str  # "" while queued
    status: str
    attempts: int
    updated_at: datetime
    detail: str = ""


@dataclass(frozen=True)
class AccessEntry:
    """One read of the child's record from the education service's access log."""

    at: datetime
    actor_role: str
    what: str
    purpose: str
