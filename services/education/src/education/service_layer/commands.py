"""Commands: orders given to the service. Each has exactly one handler."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from esis_shared.national_id import Sex

from education.domain.calendar import Holiday, Term
from education.domain.curriculum import SubjectKind
from education.domain.guardians import Relationship
from education.domain.imports import ImportRow
from education.domain.learners import WithdrawalReason
from education.domain.org import OrgKind, Ownership
from education.domain.timetable import Lesson


class Command:
    pass


# ---------------------------------------------------------------- organisation hierarchy

@dataclass(frozen=True)
class CreateOrgUnit(Command):
    kind: OrgKind
    code: str
    name_mn: str
    parent_id: str | None
    opened_on: date
    name_en: str = ""
    ownership: Ownership | None = None
    address: str = ""
    id: str | None = None


@dataclass(frozen=True)
class MoveOrgUnit(Command):
    unit_id: str
    parent_id: str
    on: date


@dataclass(frozen=True)
class MergeOrgUnits(Command):
    source_id: str
    target_id: str
    on: date


@dataclass(frozen=True)
class CloseOrgUnit(Command):
    unit_id: str
    on: date


@dataclass(frozen=True)
class SetCatchment(Command):
    school_id: str
    area_codes: tuple[str, ...]


# ---------------------------------------------------------------- calendar, curriculum, classes, timetable

@dataclass(frozen=True)
class DefineSchoolYear(Command):
    start_year: int
    starts_on: date | None = None
    ends_on: date | None = None
    terms: tuple[Term, ...] = ()
    holidays: tuple[Holiday, ...] | None = None  # None = the default breaks


@dataclass(frozen=True)
class DefineSubject(Command):
    code: str
    name_mn: str
    kind: SubjectKind
    name_en: str = ""


@dataclass(frozen=True)
class SetWeeklyHours(Command):
    subject_id: str
    year_id: str
    level: str
    hours: int


@dataclass(frozen=True)
class OpenClass(Command):
    school_id: str
    year_id: str
    level: str
    letter: str
    shift: int
    capacity: int
    room: str = ""
    class_teacher_id: str | None = None


@dataclass(frozen=True)
class ChangeClass(Command):
    class_id: str
    room: str
    capacity: int
    class_teacher_id: str | None = None


@dataclass(frozen=True)
class SaveTimetable(Command):
    class_id: str
    lessons: tuple[Lesson, ...]


@dataclass(frozen=True)
class PublishTimetable(Command):
    class_id: str


# ---------------------------------------------------------------- learners and guardians

@dataclass(frozen=True)
class RegisterLearner(Command):
    school_id: str
    register_number: str
    family_name: str
    given_name: str
    birth_date: date
    sex: Sex
    address: str = ""
    area_code: str = ""
    special_needs: bool = False
    duplicate_confirmation: str = ""  # the reason, when the same names + birth date already exist


@dataclass(frozen=True)
class AddGuardian(Command):
    learner_id: str
    family_name: str
    given_name: str
    phone: str
    relationship: Relationship
    email: str = ""
    register_number: str | None = None


@dataclass(frozen=True)
class VerifyGuardianLink(Command):
    learner_id: str
    guardian_id: str


@dataclass(frozen=True)
class RevokeGuardianLink(Command):
    learner_id: str
    guardian_id: str


@dataclass(frozen=True)
class VerifyGuardianClaim(Command):
    learner_register_number: str
    guardian_given_name: str
    guardian_phone: str = ""
    guardian_register_number: str = ""
    account_id: str = ""


# ---------------------------------------------------------------- admission, enrolment, withdrawal

@dataclass(frozen=True)
class SubmitApplication(Command):
    school_id: str
    learner_id: str
    year_id: str
    level: str


@dataclass(frozen=True)
class ApproveApplication(Command):
    application_id: str
    overrides: dict[str, str] = field(default_factory=dict)  # warning code -> reason
    class_id: str | None = None
    on: date | None = None


@dataclass(frozen=True)
class SuspendApplication(Command):
    application_id: str
    missing_documents: tuple[str, ...]


@dataclass(frozen=True)
class RejectApplication(Command):
    application_id: str
    reason: str


@dataclass(frozen=True)
class EnrolLearner(Command):
    learner_id: str
    class_id: str
    on: date | None = None


@dataclass(frozen=True)
class MoveLearnerToClass(Command):
    learner_id: str
    class_id: str
    on: date | None = None


@dataclass(frozen=True)
class WithdrawLearner(Command):
    learner_id: str
    reason: WithdrawalReason
    on: date | None = None
    note: str = ""


# ---------------------------------------------------------------- transfers

@dataclass(frozen=True)
class RequestTransfer(Command):
    """From the sender: ``learner_id``. From the receiver: the ``register_number`` the family brought."""

    to_school_id: str
    learner_id: str | None = None
    register_number: str | None = None
    reason: str = ""


@dataclass(frozen=True)
class ReleaseTransfer(Command):
    transfer_id: str


@dataclass(frozen=True)
class ApproveTransfer(Command):
    transfer_id: str
    class_id: str
    on: date | None = None


@dataclass(frozen=True)
class RejectTransfer(Command):
    transfer_id: str
    reason: str


@dataclass(frozen=True)
class CancelTransfer(Command):
    transfer_id: str


@dataclass(frozen=True)
class EscalateStaleTransfers(Command):
    after: timedelta


# ---------------------------------------------------------------- bulk import of class lists

@dataclass(frozen=True)
class StartClassImport(Command):
    school_id: str
    year_id: str
    filename: str
    rows: tuple[ImportRow, ...]
    headers: dict[str, str] = field(default_factory=dict)
    dry_run: bool = False
    enrol_on: date | None = None


@dataclass(frozen=True)
class RunClassImport(Command):
    job_id: str


@dataclass(frozen=True)
class ConfirmClassImport(Command):
    """Import the rows of a dry run that found no problems."""

    job_id: str
