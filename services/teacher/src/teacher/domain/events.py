"""Facts the teacher portal publishes. They carry ids (learners, classes, schools, accounts), never names or
register numbers; ``aimag`` is the NSO code used to route the event, when known.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal


@dataclass(frozen=True)
class Event:
    occurred_at: datetime


@dataclass(frozen=True)
class Where:
    """The class an event is about and the school and aimag it belongs to."""

    class_id: str
    school_id: str
    aimag: str | None


@dataclass(frozen=True)
class AttendanceEntry:
    learner_id: str
    code: str
    category: str


@dataclass(frozen=True)
class AttendanceChange:
    learner_id: str
    previous_code: str
    code: str
    category: str


@dataclass(frozen=True)
class AttendanceMarked(Event):
    sheet_id: str
    where: Where
    day: date
    lesson: int  # 0: the whole day
    subject_code: str
    marks: tuple[AttendanceEntry, ...]
    marked_by: str


@dataclass(frozen=True)
class AttendanceCorrected(Event):
    sheet_id: str
    where: Where
    day: date
    lesson: int
    subject_code: str
    changes: tuple[AttendanceChange, ...]
    reason: str
    corrected_by: str


@dataclass(frozen=True)
class MarkRecorded(Event):
    assessment_id: str
    learner_id: str
    where: Where
    subject_code: str
    school_year: str
    term: int
    assessment_name: str
    held_on: date
    weight: Decimal
    percent: Decimal
    recorded_by: str


@dataclass(frozen=True)
class GradePublished(Event):
    """A learner's approved grade; ``term`` 0 means the annual grade."""

    learner_id: str
    where: Where
    subject_code: str
    school_year: str
    term: int
    percent: Decimal
    scale: str
    band: str
    overridden: bool
    approved_by: str


@dataclass(frozen=True)
class TermGradePublished(GradePublished):
    pass


@dataclass(frozen=True)
class AnnualGradeFinalized(GradePublished):
    pass


@dataclass(frozen=True)
class HomeworkAssigned(Event):
    homework_id: str
    where: Where
    subject_code: str
    assigned_on: date
    due_on: date
    text: str
    content_ids: tuple[str, ...]
    assigned_by: str


@dataclass(frozen=True)
class GrowthMeasured(Event):
    measurement_id: str
    learner_id: str
    where: Where
    measured_on: date
    height_cm: Decimal
    weight_kg: Decimal


@dataclass(frozen=True)
class DevelopmentObserved(Event):
    observation_id: str
    learner_id: str
    where: Where
    observed_on: date
    domain: str
    level: str
    note: str


@dataclass(frozen=True)
class FeedbackEvent(Event):
    """Feedback facts never say who sent it; ``school_id`` is empty when the sender asked for anonymity."""

    feedback_id: str
    category: str
    aimag: str | None
    school_id: str


@dataclass(frozen=True)
class FeedbackReceived(FeedbackEvent):
    has_attachment: bool


@dataclass(frozen=True)
class FeedbackStatusChanged(FeedbackEvent):
    status: str
    forwarded_to_kind: str  # "", "aimag" or "school"
    forwarded_to_id: str


@dataclass(frozen=True)
class FeedbackAnswered(FeedbackEvent):
    answered_by_kind: str  # "ministry", "aimag" or "school"
