"""Commands: orders given to the HR service, each carrying the ``Actor`` who gives it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from hr.domain.access import Actor


@dataclass(frozen=True)
class Command:
    actor: Actor


@dataclass(frozen=True)
class CreatePosition(Command):
    org_id: str
    kind: str
    fte: str
    subject_code: str = ""
    title: str = ""


@dataclass(frozen=True)
class OpenVacancy(Command):
    position_id: str
    opened_on: date
    fte: str | None = None


@dataclass(frozen=True)
class CancelVacancy(Command):
    vacancy_id: str
    on: date


@dataclass(frozen=True)
class PersonDetails:
    register_number: str
    patronymic: str
    given_name: str
    birth_date: date
    sex: str
    clan_name: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class HireStaff(Command):
    """Appoint a person to a position; an existing record (same register number) is reused, history and all."""

    person: PersonDetails
    position_id: str
    fte: str
    start_date: date


@dataclass(frozen=True)
class ChangePosition(Command):
    staff_id: str
    appointment_id: str
    position_id: str
    fte: str
    effective_date: date


@dataclass(frozen=True)
class TransferStaff(Command):
    staff_id: str
    appointment_id: str
    position_id: str
    fte: str
    effective_date: date


@dataclass(frozen=True)
class StartLeave(Command):
    staff_id: str
    kind: str
    start_date: date
    expected_last_day: date | None = None


@dataclass(frozen=True)
class EndLeave(Command):
    staff_id: str
    leave_id: str
    last_day: date


@dataclass(frozen=True)
class ExitStaff(Command):
    staff_id: str
    org_id: str
    last_day: date
    reason: str


@dataclass(frozen=True)
class EducationEntry:
    degree: str
    institution: str
    year: int
    speciality: str = ""


@dataclass(frozen=True)
class LicenceEntry:
    kind: str
    number: str
    issued_on: date
    expires_on: date | None = None


@dataclass(frozen=True)
class UpdateQualifications(Command):
    staff_id: str
    education: tuple[EducationEntry, ...] = ()
    rank_code: str = ""
    licences: tuple[LicenceEntry, ...] = ()
    subject_codes: frozenset[str] = field(default_factory=frozenset)


@dataclass(frozen=True)
class UpdateContact(Command):
    staff_id: str
    phone: str = ""
    email: str = ""
    address: str = ""


@dataclass(frozen=True)
class LinkAccount(Command):
    staff_id: str
    account_id: str


@dataclass(frozen=True)
class AssignTeaching(Command):
    staff_id: str
    class_id: str
    subject_code: str
    school_year: str
    weekly_hours: int
    start_date: date | None = None
    last_day: date | None = None


@dataclass(frozen=True)
class UnassignTeaching(Command):
    assignment_id: str
    last_day: date
    reason: str = "reassigned"


@dataclass(frozen=True)
class ViewStaff(Command):
    """Read a staff member's personal data; recorded in the audit trail with its purpose."""

    staff_id: str
    purpose: str = ""


@dataclass(frozen=True)
class SaveOrg(Command):
    """Record an organisation as the education service describes it."""

    org_id: str
    name: str
    aimag_code: str
    kind: str = "school"


@dataclass(frozen=True)
class SaveClass(Command):
    """Record a class and its curriculum (subject code → weekly hours) as the education service describes it."""

    class_id: str
    org_id: str
    school_year: str
    name: str
    grade: int
    subject_hours: tuple[tuple[str, int], ...] = ()
