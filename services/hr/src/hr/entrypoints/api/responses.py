"""Response bodies of hr's JSON API; ``*_label`` fields are in the caller's language."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from hr.domain.assignments import Gap, TeachingAssignment, Workload
from hr.domain.audit import PersonalDataRead
from hr.domain.employment import Appointment, Leave
from hr.domain.kinds import LeaveKind, PositionKind
from hr.domain.notices import Notice
from hr.domain.positions import Position, Vacancy
from hr.domain.ranks import RankCatalogue
from hr.domain.staff import StaffMember
from hr.service_layer.views import StaffRow, TeachingRow

T = TypeVar("T")


class AppointmentOut(BaseModel):
    id: str
    org_id: str
    position_id: str
    position_kind: str
    position_label: str
    fte: str
    start_date: date
    last_day: date | None
    end_reason: str | None
    exit_reason: str | None

    @classmethod
    def of(cls, a: Appointment, lang: str) -> AppointmentOut:
        return cls(id=a.id, org_id=a.org_id, position_id=a.position_id, position_kind=a.kind.value,
                   position_label=a.kind.label(lang), fte=str(a.fte), start_date=a.period.start,
                   last_day=a.period.last_day, end_reason=a.end_reason.value if a.end_reason else None,
                   exit_reason=a.exit_reason.label(lang) if a.exit_reason else None)


class LeaveOut(BaseModel):
    id: str
    kind: str
    kind_label: str
    start_date: date
    last_day: date | None
    expected_last_day: date | None

    @classmethod
    def of(cls, leave: Leave, lang: str) -> LeaveOut:
        return cls(id=leave.id, kind=leave.kind.value, kind_label=leave.kind.label(lang),
                   start_date=leave.period.start, last_day=leave.period.last_day,
                   expected_last_day=leave.expected_last_day)


class StaffProfileOut(BaseModel):
    """The full record: personal data, shown only after an audited read."""

    id: str
    register_number: str
    patronymic: str
    given_name: str
    clan_name: str
    display_name: str
    birth_date: date
    sex: str
    contact: dict[str, str]
    education: list[dict[str, Any]]
    rank_code: str
    rank_label: str
    licences: list[dict[str, Any]]
    subject_codes: list[str]
    appointments: list[AppointmentOut]
    leaves: list[LeaveOut]
    account_id: str | None

    @classmethod
    def of(cls, s: StaffMember, ranks: RankCatalogue, today: date, lang: str) -> StaffProfileOut:
        q = s.qualifications
        return cls(
            id=s.id, register_number=s.register_number, patronymic=s.name.patronymic, given_name=s.name.given_name,
            clan_name=s.name.clan_name, display_name=s.name.display, birth_date=s.birth_date, sex=s.sex.value,
            contact={"phone": s.contact.phone, "email": s.contact.email, "address": s.contact.address},
            education=[vars(e) for e in q.education], rank_code=q.rank_code,
            rank_label=ranks.get(q.rank_code).name(lang) if q.rank_code else "",
            licences=[{**vars(lc), "valid_today": lc.valid_on(today)} for lc in q.licences],
            subject_codes=sorted(q.subject_codes),
            appointments=[AppointmentOut.of(a, lang) for a in s.history.appointments],
            leaves=[LeaveOut.of(lv, lang) for lv in s.history.leaves], account_id=s.account_id)


class StaffRowOut(BaseModel):
    staff_id: str
    name: str
    position_kind: str
    position_label: str
    fte: str
    on_leave: str | None

    @classmethod
    def of(cls, row: StaffRow, lang: str) -> StaffRowOut:
        return cls(staff_id=row.staff_id, name=row.name, position_kind=row.position_kind,
                   position_label=PositionKind(row.position_kind).label(lang), fte=str(row.fte),
                   on_leave=LeaveKind(row.on_leave).label(lang) if row.on_leave else None)


class HiredOut(BaseModel):
    staff_id: str
    appointment_id: str
    new_record: bool


class AssignmentOut(BaseModel):
    id: str
    staff_id: str
    teacher_name: str
    class_id: str
    org_id: str
    subject_code: str
    school_year: str
    weekly_hours: int
    start_date: date
    last_day: date | None
    end_reason: str | None

    @classmethod
    def of(cls, a: TeachingAssignment, teacher_name: str = "") -> AssignmentOut:
        return cls(id=a.id, staff_id=a.staff_id, teacher_name=teacher_name, class_id=a.class_id, org_id=a.org_id,
                   subject_code=a.subject_code, school_year=a.school_year.label, weekly_hours=a.weekly_hours,
                   start_date=a.period.start, last_day=a.period.last_day,
                   end_reason=a.end_reason.value if a.end_reason else None)

    @classmethod
    def of_row(cls, row: TeachingRow) -> AssignmentOut:
        return cls.of(row.assignment, row.teacher_name)


class NoticeOut(BaseModel):
    code: str
    message: str
    details: dict[str, Any]

    @classmethod
    def of(cls, notice: Notice, lang: str) -> NoticeOut:
        return cls(code=notice.code, message=notice.message(lang), details=notice.details)


class AssignedOut(BaseModel):
    assignment: AssignmentOut
    notices: list[NoticeOut]


class WorkloadOut(BaseModel):
    staff_id: str
    as_of: date
    weekly_hours: int
    norm_hours: str
    over_norm: bool

    @classmethod
    def of(cls, load: Workload, as_of: date) -> WorkloadOut:
        return cls(staff_id=load.staff_id, as_of=as_of, weekly_hours=load.weekly_hours,
                   norm_hours=str(load.norm_hours), over_norm=load.over_norm)


class GapOut(BaseModel):
    subject_code: str
    planned_hours: int

    @classmethod
    def of(cls, gap: Gap) -> GapOut:
        return cls(subject_code=gap.subject_code, planned_hours=gap.planned_hours)


class PositionOut(BaseModel):
    id: str
    org_id: str
    kind: str
    kind_label: str
    fte: str
    subject_code: str
    title: str

    @classmethod
    def of(cls, p: Position, lang: str) -> PositionOut:
        return cls(id=p.id, org_id=p.org_id, kind=p.kind.value, kind_label=p.kind.label(lang), fte=str(p.fte),
                   subject_code=p.subject_code, title=p.title)


class VacancyOut(BaseModel):
    id: str
    org_id: str
    position_id: str
    kind: str
    kind_label: str
    subject_code: str
    fte: str
    opened_on: date
    status: str
    filled_by: str | None
    closed_on: date | None

    @classmethod
    def of(cls, v: Vacancy, lang: str) -> VacancyOut:
        return cls(id=v.id, org_id=v.org_id, position_id=v.position_id, kind=v.kind.value,
                   kind_label=v.kind.label(lang), subject_code=v.subject_code, fte=str(v.fte), opened_on=v.opened_on,
                   status=v.status.value, filled_by=v.filled_by, closed_on=v.closed_on)


class ReadOut(BaseModel):
    reader_account_id: str
    reader_role: str
    purpose: str
    read_at: datetime

    @classmethod
    def of(cls, r: PersonalDataRead) -> ReadOut:
        return cls(reader_account_id=r.reader_account_id, reader_role=r.reader_role, purpose=r.purpose,
                   read_at=r.read_at)


class Items(BaseModel, Generic[T]):
    items: list[T]
