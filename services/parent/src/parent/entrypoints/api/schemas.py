"""Request bodies and the JSON shapes of answers (domain objects → plain dicts)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from pydantic import BaseModel, Field

from parent.domain.notifications import EVENT_TYPES


class ClaimCreate(BaseModel):
    learner_register_number: str = Field(max_length=20)
    guardian_given_name: str = Field(max_length=100)
    guardian_phone: str = Field(default="", max_length=20)
    guardian_register_number: str = Field(default="", max_length=20)


class ProfileUpdate(BaseModel):
    display_name: str = Field(default="", max_length=120)
    phone: str = Field(default="", max_length=20)
    email: str = Field(default="", max_length=200)
    lang: str = Field(default="mn", pattern="^(mn|en)$")


class TypeSettingIn(BaseModel):
    enabled: bool = True
    digest: bool = False


class PreferencesUpdate(BaseModel):
    channels: list[str]
    quiet_start: time | None = None
    quiet_end: time | None = None
    digest_at: time = time(19, 0)
    types: dict[str, TypeSettingIn] = Field(default_factory=dict, description=f"keys: {', '.join(EVENT_TYPES)}")


class ThreadCreate(BaseModel):
    teacher_account_id: str = Field(max_length=64)
    subject: str = Field(max_length=120)
    text: str = Field(max_length=2000)


class TeacherThreadCreate(BaseModel):
    learner_id: str = Field(max_length=64)
    guardian_account_id: str = Field(max_length=64)
    subject: str = Field(max_length=120)
    text: str = Field(max_length=2000)


class MessageCreate(BaseModel):
    text: str = Field(max_length=2000)


class ConsultationCreate(BaseModel):
    teacher_account_id: str = Field(max_length=64)
    topic: str = Field(max_length=500)
    preferred_times: str = Field(default="", max_length=200)


class ConsultationAnswer(BaseModel):
    accept: bool
    scheduled_for: datetime | None = None
    note: str = Field(default="", max_length=500)


def plain(value: Any) -> Any:
    """Dataclasses, dates and decimals → JSON-ready values."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain(v) for v in value]
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value
