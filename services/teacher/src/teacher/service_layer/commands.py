"""Commands: what a caller asks the teacher portal to do. ``actor`` is the caller, from its access token."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from teacher.domain.access import Actor


@dataclass(frozen=True)
class Command:
    actor: Actor


@dataclass(frozen=True)
class MarkAttendance(Command):
    """The attendance form of one class for a day (``lesson`` 0) or a lesson; ``form_id`` makes a re-send a no-op."""

    form_id: str
    class_id: str
    day: date
    marks: tuple[tuple[str, str], ...]  # (learner id, code), one row per learner
    lesson: int = 0
    subject_code: str = ""


@dataclass(frozen=True)
class CorrectAttendance(Command):
    sheet_id: str
    changes: tuple[tuple[str, str], ...]  # (learner id, new code)
    reason: str = ""


@dataclass(frozen=True)
class SetAttendanceMode(Command):
    school_id: str
    level: str
    mode: str | None  # None: back to the school year's default


@dataclass(frozen=True)
class CreateAssessment(Command):
    class_id: str
    subject_code: str
    term: int
    name: str
    held_on: date
    weight: str = "1"


@dataclass(frozen=True)
class MarkInput:
    assessment_id: str
    learner_id: str
    percent: str


@dataclass(frozen=True)
class RecordMarks(Command):
    """Cells of the marks grid of one class and subject (blank cells are not sent)."""

    class_id: str
    subject_code: str
    marks: tuple[MarkInput, ...]


@dataclass(frozen=True)
class SheetRef(Command):
    class_id: str
    subject_code: str
    school_year: str  # "": the class's school year
    term: int  # 0: the annual grades


@dataclass(frozen=True)
class OverrideGrade(SheetRef):
    learner_id: str = ""
    percent: str | None = None  # None removes the override
    reason: str = ""


@dataclass(frozen=True)
class SubmitGrades(SheetRef):
    pass


@dataclass(frozen=True)
class ApproveGrades(Command):
    sheet_id: str


@dataclass(frozen=True)
class ReturnGrades(Command):
    sheet_id: str
    reason: str


@dataclass(frozen=True)
class AssignHomework(Command):
    class_id: str
    subject_code: str
    due_on: date
    text: str
    content_ids: tuple[str, ...] = ()
    assigned_on: date | None = None  # today when not given


@dataclass(frozen=True)
class LogLessonTopic(Command):
    class_id: str
    subject_code: str
    day: date
    lesson: int
    topic: str
    notes: str = ""


@dataclass(frozen=True)
class RecordGrowth(Command):
    class_id: str
    learner_id: str
    measured_on: date
    height_cm: str
    weight_kg: str
    confirmed: bool = False


@dataclass(frozen=True)
class RecordObservation(Command):
    class_id: str
    learner_id: str
    observed_on: date
    domain: str
    level: str
    note: str = ""


@dataclass(frozen=True)
class SendFeedback(Command):
    category: str
    text: str
    attachment_ref: str = ""
    anonymous_to_school: bool = False
    school_id: str | None = None  # the sender's school; the only one in the token when not given


@dataclass(frozen=True)
class ReviewFeedback(Command):
    feedback_id: str


@dataclass(frozen=True)
class ForwardFeedback(Command):
    feedback_id: str
    to_kind: str
    to_id: str
    note: str = ""


@dataclass(frozen=True)
class AnswerFeedback(Command):
    feedback_id: str
    answer: str
