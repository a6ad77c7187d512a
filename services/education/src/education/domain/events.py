"""Domain events: past-tense facts. ``org_id`` says which organisation an event concerns (for routing).

Events carry ids, never register numbers or names: they leave this service.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Event:
    @property
    def aggregate_id(self) -> str:
        raise NotImplementedError

    @property
    def org_id(self) -> str | None:
        return getattr(self, "school_id", None)


# ---------------------------------------------------------------- organisation hierarchy

@dataclass(frozen=True)
class OrgUnitCreated(Event):
    unit_id: str
    kind: str
    code: str
    name_mn: str
    parent_id: str | None
    valid_from: date

    @property
    def aggregate_id(self) -> str:
        return self.unit_id

    @property
    def org_id(self) -> str:
        return self.unit_id


@dataclass(frozen=True)
class OrgUnitMoved(Event):
    unit_id: str
    from_parent_id: str | None
    to_parent_id: str
    on: date

    @property
    def aggregate_id(self) -> str:
        return self.unit_id

    @property
    def org_id(self) -> str:
        return self.unit_id


@dataclass(frozen=True)
class OrgUnitClosed(Event):
    unit_id: str
    on: date
    merged_into_id: str | None = None

    @property
    def aggregate_id(self) -> str:
        return self.unit_id

    @property
    def org_id(self) -> str:
        return self.unit_id


@dataclass(frozen=True)
class CatchmentChanged(Event):
    unit_id: str
    area_codes: tuple[str, ...]

    @property
    def aggregate_id(self) -> str:
        return self.unit_id

    @property
    def org_id(self) -> str:
        return self.unit_id


# ---------------------------------------------------------------- calendar and curriculum

@dataclass(frozen=True)
class SchoolYearDefined(Event):
    year_id: str
    starts_on: date
    ends_on: date
    terms: int

    @property
    def aggregate_id(self) -> str:
        return self.year_id


@dataclass(frozen=True)
class SubjectDefined(Event):
    subject_id: str
    code: str
    kind: str

    @property
    def aggregate_id(self) -> str:
        return self.subject_id


@dataclass(frozen=True)
class WeeklyHoursSet(Event):
    subject_id: str
    year_id: str
    level: str
    hours: int

    @property
    def aggregate_id(self) -> str:
        return self.subject_id


# ---------------------------------------------------------------- classes and timetable

@dataclass(frozen=True)
class ClassOpened(Event):
    class_id: str
    school_id: str
    year_id: str
    level: str
    letter: str
    shift: int
    capacity: int

    @property
    def aggregate_id(self) -> str:
        return self.class_id


@dataclass(frozen=True)
class ClassChanged(Event):
    class_id: str
    school_id: str
    room: str
    capacity: int
    class_teacher_id: str | None

    @property
    def aggregate_id(self) -> str:
        return self.class_id


@dataclass(frozen=True)
class PublishedLesson:
    """One lesson of a published week, as the event carries it (ids and codes only)."""

    day: int
    period: int
    subject_id: str
    subject_code: str
    teacher_id: str
    room: str = ""


@dataclass(frozen=True)
class TimetablePublished(Event):
    class_id: str
    school_id: str
    year_id: str
    lessons: int
    weekly_lessons: tuple[PublishedLesson, ...] = ()

    @property
    def aggregate_id(self) -> str:
        return self.class_id


# ---------------------------------------------------------------- learners and guardians

@dataclass(frozen=True)
class LearnerRegistered(Event):
    learner_id: str
    school_id: str
    birth_year: int
    sex: str

    @property
    def aggregate_id(self) -> str:
        return self.learner_id


@dataclass(frozen=True)
class LearnerEnrolled(Event):
    learner_id: str
    school_id: str
    class_id: str
    level: str
    on: date
    via: str = "admission"  # admission | transfer | class_move

    @property
    def aggregate_id(self) -> str:
        return self.learner_id


@dataclass(frozen=True)
class LearnerMovedClass(Event):
    learner_id: str
    school_id: str
    from_class_id: str
    to_class_id: str
    on: date

    @property
    def aggregate_id(self) -> str:
        return self.learner_id


@dataclass(frozen=True)
class LearnerWithdrawn(Event):
    learner_id: str
    school_id: str
    class_id: str
    reason: str
    on: date

    @property
    def aggregate_id(self) -> str:
        return self.learner_id


@dataclass(frozen=True)
class GuardianLinked(Event):
    learner_id: str
    guardian_id: str
    school_id: str
    relationship: str

    @property
    def aggregate_id(self) -> str:
        return self.learner_id


@dataclass(frozen=True)
class GuardianLinkVerified(Event):
    learner_id: str
    guardian_id: str
    school_id: str
    by: str  # "school" or "claim"

    @property
    def aggregate_id(self) -> str:
        return self.learner_id


@dataclass(frozen=True)
class GuardianLinkRevoked(Event):
    learner_id: str
    guardian_id: str
    school_id: str

    @property
    def aggregate_id(self) -> str:
        return self.learner_id


# ---------------------------------------------------------------- admission

@dataclass(frozen=True)
class AdmissionApplied(Event):
    application_id: str
    school_id: str
    learner_id: str
    level: str

    @property
    def aggregate_id(self) -> str:
        return self.application_id


@dataclass(frozen=True)
class AdmissionDecided(Event):
    application_id: str
    school_id: str
    learner_id: str
    decision: str  # approved | suspended | rejected
    reason: str = ""
    overridden: tuple[str, ...] = field(default_factory=tuple)
    missing_documents: tuple[str, ...] = field(default_factory=tuple)

    @property
    def aggregate_id(self) -> str:
        return self.application_id


# ---------------------------------------------------------------- transfers

@dataclass(frozen=True)
class _TransferEvent(Event):
    transfer_id: str
    learner_id: str
    from_school_id: str
    to_school_id: str

    @property
    def aggregate_id(self) -> str:
        return self.transfer_id

    @property
    def org_id(self) -> str:
        return self.from_school_id


@dataclass(frozen=True)
class TransferRequested(_TransferEvent):
    initiated_by: str = "sender"


@dataclass(frozen=True)
class TransferReleased(_TransferEvent):
    pass


@dataclass(frozen=True)
class TransferApproved(_TransferEvent):
    to_class_id: str = ""
    on: date | None = None


@dataclass(frozen=True)
class TransferRejected(_TransferEvent):
    reason: str = ""
    by: str = "receiver"


@dataclass(frozen=True)
class TransferCancelled(_TransferEvent):
    pass


@dataclass(frozen=True)
class TransferEscalated(_TransferEvent):
    escalated_to_id: str = ""
