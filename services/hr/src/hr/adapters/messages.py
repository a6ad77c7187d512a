"""Domain events → ``esis.hr.v1`` protobuf messages, with the topic, key and org each is routed by."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import singledispatch

from esis.common.v1 import common_pb2
from esis.hr.v1 import hr_events_pb2 as pb
from google.protobuf.message import Message
from google.protobuf.timestamp_pb2 import Timestamp

from hr.domain import events

STAFF_TOPIC, ASSIGNMENTS_TOPIC, VACANCIES_TOPIC = "hr.staff.v1", "hr.assignments.v1", "hr.vacancies.v1"
POSITION_KINDS = {k: getattr(pb, f"POSITION_KIND_{k.upper()}") for k in (
    "teacher", "class_teacher", "training_manager", "director", "methodologist", "support_staff")}
SEXES = {"male": pb.SEX_MALE, "female": pb.SEX_FEMALE}
MOVE_KINDS = {"position_change": pb.MOVE_KIND_POSITION_CHANGE, "transfer": pb.MOVE_KIND_TRANSFER}
LEAVE_KINDS = {k: getattr(pb, f"LEAVE_KIND_{k.upper()}") for k in ("maternity", "child_care", "study", "sick", "other")}
EXIT_REASONS = {k: getattr(pb, f"EXIT_REASON_{k.upper()}") for k in (
    "resigned", "retired", "contract_ended", "dismissed", "deceased", "other")}
UNASSIGN_REASONS = {k: getattr(pb, f"UNASSIGN_REASON_{k.upper()}") for k in (
    "reassigned", "staff_left", "correction", "other")}


@dataclass(frozen=True)
class Outgoing:
    topic: str
    key: str
    org_id: str
    message: Message


def pb_date(value: date | None) -> common_pb2.Date | None:
    return None if value is None else common_pb2.Date(year=value.year, month=value.month, day=value.day)


def timestamp(value: datetime) -> Timestamp:
    stamp = Timestamp()
    stamp.FromDatetime(value)
    return stamp


def percent(fte: Decimal) -> int:
    return int(fte * 100)


@singledispatch
def to_outgoing(event: object, at: datetime) -> Outgoing:
    raise TypeError(f"no protobuf message for {type(event).__name__}")


@to_outgoing.register
def _(e: events.StaffHired, at: datetime) -> Outgoing:
    return Outgoing(STAFF_TOPIC, e.staff_id, e.org_id, pb.StaffHired(
        staff_id=e.staff_id, appointment_id=e.appointment_id, org_id=e.org_id, position_id=e.position_id,
        position_kind=POSITION_KINDS[e.position_kind], fte_percent=percent(e.fte), start_date=pb_date(e.start_date),
        sex=SEXES[e.sex], occurred_at=timestamp(at)))


@to_outgoing.register
def _(e: events.StaffMoved, at: datetime) -> Outgoing:
    return Outgoing(STAFF_TOPIC, e.staff_id, e.to_org_id, pb.StaffMoved(
        staff_id=e.staff_id, kind=MOVE_KINDS[e.kind], from_appointment_id=e.from_appointment_id,
        to_appointment_id=e.to_appointment_id, from_org_id=e.from_org_id, to_org_id=e.to_org_id,
        from_position_kind=POSITION_KINDS[e.from_position_kind], to_position_kind=POSITION_KINDS[e.to_position_kind],
        position_id=e.position_id, fte_percent=percent(e.fte), effective_date=pb_date(e.effective_date),
        occurred_at=timestamp(at)))


@to_outgoing.register
def _(e: events.StaffLeaveStarted, at: datetime) -> Outgoing:
    return Outgoing(STAFF_TOPIC, e.staff_id, _first(e.org_ids), pb.StaffLeaveStarted(
        staff_id=e.staff_id, leave_id=e.leave_id, kind=LEAVE_KINDS[e.kind], start_date=pb_date(e.start_date),
        expected_last_day=pb_date(e.expected_last_day), org_ids=list(e.org_ids), occurred_at=timestamp(at)))


@to_outgoing.register
def _(e: events.StaffLeaveEnded, at: datetime) -> Outgoing:
    return Outgoing(STAFF_TOPIC, e.staff_id, _first(e.org_ids), pb.StaffLeaveEnded(
        staff_id=e.staff_id, leave_id=e.leave_id, kind=LEAVE_KINDS[e.kind], last_day=pb_date(e.last_day),
        org_ids=list(e.org_ids), occurred_at=timestamp(at)))


@to_outgoing.register
def _(e: events.StaffExited, at: datetime) -> Outgoing:
    return Outgoing(STAFF_TOPIC, e.staff_id, e.org_id, pb.StaffExited(
        staff_id=e.staff_id, org_id=e.org_id, reason=EXIT_REASONS[e.reason], last_day=pb_date(e.last_day),
        appointment_ids=list(e.appointment_ids), occurred_at=timestamp(at)))


@to_outgoing.register
def _(e: events.StaffQualificationsChanged, at: datetime) -> Outgoing:
    return Outgoing(STAFF_TOPIC, e.staff_id, _first(e.org_ids), pb.StaffQualificationsChanged(
        staff_id=e.staff_id, rank_code=e.rank_code, degrees=list(e.degrees), subject_codes=list(e.subject_codes),
        licence_valid_until=pb_date(e.licence_valid_until), org_ids=list(e.org_ids), occurred_at=timestamp(at)))


@to_outgoing.register
def _(e: events.StaffAccountLinked, at: datetime) -> Outgoing:
    return Outgoing(STAFF_TOPIC, e.staff_id, _first(e.org_ids), pb.StaffAccountLinked(
        staff_id=e.staff_id, account_id=e.account_id, org_ids=list(e.org_ids), occurred_at=timestamp(at)))


@to_outgoing.register
def _(e: events.TeachingAssigned, at: datetime) -> Outgoing:
    return Outgoing(ASSIGNMENTS_TOPIC, e.assignment_id, e.org_id, pb.TeachingAssigned(
        assignment_id=e.assignment_id, staff_id=e.staff_id, class_id=e.class_id, org_id=e.org_id,
        subject_code=e.subject_code, school_year=e.school_year, weekly_hours=e.weekly_hours,
        start_date=pb_date(e.start_date), last_day=pb_date(e.last_day), occurred_at=timestamp(at)))


@to_outgoing.register
def _(e: events.TeachingUnassigned, at: datetime) -> Outgoing:
    return Outgoing(ASSIGNMENTS_TOPIC, e.assignment_id, e.org_id, pb.TeachingUnassigned(
        assignment_id=e.assignment_id, staff_id=e.staff_id, class_id=e.class_id, org_id=e.org_id,
        subject_code=e.subject_code, school_year=e.school_year, last_day=pb_date(e.last_day),
        reason=UNASSIGN_REASONS[e.reason], occurred_at=timestamp(at)))


@to_outgoing.register
def _(e: events.VacancyOpened, at: datetime) -> Outgoing:
    return Outgoing(VACANCIES_TOPIC, e.vacancy_id, e.org_id, pb.VacancyOpened(
        vacancy_id=e.vacancy_id, org_id=e.org_id, position_id=e.position_id,
        position_kind=POSITION_KINDS[e.position_kind], subject_code=e.subject_code, fte_percent=percent(e.fte),
        opened_on=pb_date(e.opened_on), occurred_at=timestamp(at)))


@to_outgoing.register
def _(e: events.VacancyFilled, at: datetime) -> Outgoing:
    return Outgoing(VACANCIES_TOPIC, e.vacancy_id, e.org_id, pb.VacancyFilled(
        vacancy_id=e.vacancy_id, org_id=e.org_id, position_id=e.position_id, staff_id=e.staff_id,
        filled_on=pb_date(e.filled_on), occurred_at=timestamp(at)))


@to_outgoing.register
def _(e: events.VacancyCancelled, at: datetime) -> Outgoing:
    return Outgoing(VACANCIES_TOPIC, e.vacancy_id, e.org_id, pb.VacancyCancelled(
        vacancy_id=e.vacancy_id, org_id=e.org_id, position_id=e.position_id,
        cancelled_on=pb_date(e.cancelled_on), occurred_at=timestamp(at)))


def _first(org_ids: tuple[str, ...]) -> str:
    return org_ids[0] if org_ids else ""
