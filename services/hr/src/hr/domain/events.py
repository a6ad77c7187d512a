"""Domain events: past-tense facts. They carry ids, org ids, class ids and subject codes, never register numbers."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


class Event:
    """Marker base class of every domain event."""


@dataclass(frozen=True)
class StaffHired(Event):
    staff_id: str
    appointment_id: str
    org_id: str
    position_id: str
    position_kind: str
    fte: Decimal
    start_date: date
    sex: str


@dataclass(frozen=True)
class StaffMoved(Event):
    """A change of position in the same organisation, or a transfer to another one (``kind``)."""

    staff_id: str
    kind: str
    from_appointment_id: str
    to_appointment_id: str
    from_org_id: str
    to_org_id: str
    from_position_kind: str
    to_position_kind: str
    position_id: str
    fte: Decimal
    effective_date: date


@dataclass(frozen=True)
class StaffLeaveStarted(Event):
    staff_id: str
    leave_id: str
    kind: str
    start_date: date
    expected_last_day: date | None
    org_ids: tuple[str, ...]


@dataclass(frozen=True)
class StaffLeaveEnded(Event):
    staff_id: str
    leave_id: str
    kind: str
    last_day: date
    org_ids: tuple[str, ...]


@dataclass(frozen=True)
class StaffExited(Event):
    staff_id: str
    org_id: str
    reason: str
    last_day: date
    appointment_ids: tuple[str, ...]


@dataclass(frozen=True)
class StaffQualificationsChanged(Event):
    """Rank, degrees, licences or subjects changed (stats counts qualified teachers)."""

    staff_id: str
    rank_code: str
    degrees: tuple[str, ...]
    subject_codes: tuple[str, ...]
    licence_valid_until: date | None
    org_ids: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class StaffAccountLinked(Event):
    """The person's identity account was linked; identity scopes it from their appointments and teaching."""

    staff_id: str
    account_id: str
    org_ids: tuple[str, ...]


@dataclass(frozen=True)
class TeachingAssigned(Event):
    assignment_id: str
    staff_id: str
    class_id: str
    org_id: str
    subject_code: str
    school_year: str
    weekly_hours: int
    start_date: date
    last_day: date | None


@dataclass(frozen=True)
class TeachingUnassigned(Event):
    assignment_id: str
    staff_id: str
    class_id: str
    org_id: str
    subject_code: str
    school_year: str
    last_day: date
    reason: str


@dataclass(frozen=True)
class VacancyOpened(Event):
    vacancy_id: str
    org_id: str
    position_id: str
    position_kind: str
    subject_code: str
    fte: Decimal
    opened_on: date


@dataclass(frozen=True)
class VacancyFilled(Event):
    vacancy_id: str
    org_id: str
    position_id: str
    staff_id: str
    filled_on: date


@dataclass(frozen=True)
class VacancyCancelled(Event):
    vacancy_id: str
    org_id: str
    position_id: str
    cancelled_on: date
