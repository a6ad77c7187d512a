"""Request bodies (``XCreate``) and the JSON shape of responses (``read``: domain object → dict)."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from education.adapters.codec import encode
from education.domain.learners import Learner
from education.domain.transfer import Transfer


class OrgUnitCreate(BaseModel):
    kind: str
    code: str = Field(min_length=1, max_length=40)
    name_mn: str = Field(min_length=1, max_length=200)
    parent_id: str | None = None
    opened_on: date
    name_en: str = ""
    ownership: str | None = None
    address: str = ""


class Move(BaseModel):
    parent_id: str
    on: date


class Merge(BaseModel):
    target_id: str
    on: date


class OnDate(BaseModel):
    on: date | None = None


class Catchment(BaseModel):
    area_codes: list[str]


class SchoolYearCreate(BaseModel):
    start_year: int = Field(ge=2000, le=2100)
    starts_on: date | None = None
    ends_on: date | None = None


class SubjectCreate(BaseModel):
    code: str
    name_mn: str
    kind: str
    name_en: str = ""


class WeeklyHoursPut(BaseModel):
    year_id: str
    level: str
    hours: int


class ClassCreate(BaseModel):
    school_id: str
    year_id: str
    level: str
    letter: str
    shift: int
    capacity: int
    room: str = ""
    class_teacher_id: str | None = None


class ClassUpdate(BaseModel):
    room: str = ""
    capacity: int
    class_teacher_id: str | None = None


class LessonIn(BaseModel):
    day: int
    period: int
    subject_id: str
    teacher_id: str
    room: str = ""


class TimetablePut(BaseModel):
    lessons: list[LessonIn]


class LearnerCreate(BaseModel):
    school_id: str
    register_number: str
    family_name: str
    given_name: str
    birth_date: date
    sex: str
    address: str = ""
    area_code: str = ""
    special_needs: bool = False
    duplicate_confirmation: str = ""


class GuardianCreate(BaseModel):
    family_name: str
    given_name: str
    phone: str
    relationship: str
    email: str = ""
    register_number: str | None = None


class Enrol(BaseModel):
    class_id: str
    on: date | None = None


class Withdraw(BaseModel):
    reason: str
    on: date | None = None
    note: str = ""


class ApplicationCreate(BaseModel):
    school_id: str
    learner_id: str
    year_id: str
    level: str


class Approve(BaseModel):
    overrides: dict[str, str] = Field(default_factory=dict)
    class_id: str | None = None
    on: date | None = None


class Suspend(BaseModel):
    missing_documents: list[str]


class Reason(BaseModel):
    reason: str


class TransferCreate(BaseModel):
    to_school_id: str
    learner_id: str | None = None
    register_number: str | None = None
    reason: str = ""


class TransferApprove(BaseModel):
    class_id: str
    on: date | None = None


def read(item: Any) -> Any:
    """Domain object → JSON (dataclass fields; enums as values, dates ISO)."""
    return encode(item)


def read_learner(learner: Learner) -> dict[str, Any]:
    data = encode(learner)
    data["status"] = learner.status.value
    current = learner.open_enrolment
    data["class_id"] = current.class_id if current else None
    return data


def read_roster_member(learner: Learner) -> dict[str, Any]:
    """A roster line: no register number, no address."""
    return {"id": learner.id, "family_name": learner.family_name, "given_name": learner.given_name,
            "birth_date": learner.birth_date.isoformat(), "sex": learner.sex.value,
            "special_needs": learner.special_needs}


def read_transfer(transfer: Transfer) -> dict[str, Any]:
    data = encode(transfer)
    data["acting_school_id"] = transfer.acting_school_id
    return data
