"""Read side: effective-dated questions ("who taught at school X on date D"), workloads, gaps, vacancies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from hr.domain.access import Actor, can_read_class, can_read_org, can_read_staff, require
from hr.domain.assignments import Gap, TeachingAssignment, Workload, uncovered_subjects, workload_on
from hr.domain.audit import PersonalDataRead
from hr.domain.kinds import TEACHING_KINDS
from hr.domain.positions import Position, Vacancy, VacancyStatus
from hr.service_layer.handlers.common import Context, load_class, load_staff
from hr.service_layer.unit_of_work import AbstractUnitOfWork


@dataclass(frozen=True)
class StaffRow:
    staff_id: str
    name: str
    position_kind: str
    fte: Decimal
    on_leave: str | None


@dataclass(frozen=True)
class TeachingRow:
    assignment: TeachingAssignment
    teacher_name: str


def staff_at(uow: AbstractUnitOfWork, actor: Actor, org_id: str, day: date) -> list[StaffRow]:
    """Everyone with an appointment at ``org_id`` on ``day``, one row per appointment."""
    with uow:
        _require_read_org(uow, actor, org_id)
        rows = [StaffRow(s.id, s.name.display, a.kind.value, a.fte, _leave_kind(s.history.leave_on(day)))
                for s in uow.staff.list_at_org(org_id, day)
                for a in s.history.active_on(day) if a.org_id == org_id]
    return sorted(rows, key=lambda r: (r.name, r.position_kind))


def teaching_at(uow: AbstractUnitOfWork, actor: Actor, org_id: str, day: date) -> list[TeachingRow]:
    """Who taught which class and subject at ``org_id`` on ``day``."""
    with uow:
        _require_read_org(uow, actor, org_id)
        return _with_names(uow, uow.teaching.for_org(org_id, day))


def assignments_of_staff(uow: AbstractUnitOfWork, actor: Actor, staff_id: str, day: date | None,
                         today: date) -> list[TeachingRow]:
    with uow:
        staff = load_staff(uow, staff_id)
        orgs = uow.directory.aimags_of(staff.history.org_ids_from(today))
        require(can_read_staff(actor, staff_id, orgs), "энэ багшийн хуваарилалтыг үзэх",
                "see this teacher's assignments")
        return _with_names(uow, uow.teaching.for_staff(staff_id, day))


def assignments_of_class(uow: AbstractUnitOfWork, actor: Actor, class_id: str,
                         day: date | None) -> list[TeachingRow]:
    with uow:
        info = load_class(uow, class_id)
        org = uow.directory.org(info.org_id)
        require(can_read_class(actor, class_id, info.org_id, org.aimag_code if org else None),
                "энэ ангийн хуваарилалтыг үзэх", "see this class's assignments")
        return _with_names(uow, uow.teaching.for_class(class_id, day))


def workload(uow: AbstractUnitOfWork, actor: Actor, staff_id: str, day: date, ctx: Context) -> Workload:
    with uow:
        staff = load_staff(uow, staff_id)
        orgs = uow.directory.aimags_of(staff.history.org_ids_from(ctx.today()))
        require(can_read_staff(actor, staff_id, orgs), "энэ багшийн ачааллыг үзэх", "see this teacher's workload")
        return workload_on(staff_id, uow.teaching.for_staff(staff_id, day), day,
                           norm_per_fte=ctx.policy.workload_norm_hours,
                           fte=staff.history.fte_on(day, TEACHING_KINDS))


def class_gaps(uow: AbstractUnitOfWork, actor: Actor, class_id: str, day: date) -> list[Gap]:
    """The subjects of a class's curriculum nobody teaches on ``day``."""
    with uow:
        info = load_class(uow, class_id)
        _require_read_org(uow, actor, info.org_id)
        return uncovered_subjects(info, uow.teaching.for_class(class_id, day), day)


def positions(uow: AbstractUnitOfWork, actor: Actor, org_id: str) -> list[Position]:
    with uow:
        _require_read_org(uow, actor, org_id)
        return uow.positions.list_for_org(org_id)


def vacancies(uow: AbstractUnitOfWork, actor: Actor, org_id: str,
              status: VacancyStatus | None = None) -> list[Vacancy]:
    with uow:
        _require_read_org(uow, actor, org_id)
        return uow.vacancies.list_for_org(org_id, status)


def audit_trail(uow: AbstractUnitOfWork, actor: Actor, staff_id: str, today: date) -> list[PersonalDataRead]:
    """Who read a staff member's personal data: for the person themselves and whoever may read the record."""
    with uow:
        staff = load_staff(uow, staff_id)
        orgs = uow.directory.aimags_of(staff.history.org_ids_from(today))
        require(can_read_staff(actor, staff_id, orgs), "энэ ажилтны мэдээллийг хэн үзсэнийг харах",
                "see who read this staff member's record")
        return sorted(uow.audit.for_staff(staff_id), key=lambda r: r.read_at, reverse=True)


def _require_read_org(uow: AbstractUnitOfWork, actor: Actor, org_id: str) -> None:
    info = uow.directory.org(org_id)
    require(can_read_org(actor, org_id, info.aimag_code if info else None), "энэ байгууллагын ажилтнуудыг үзэх",
            "see the staff of this organisation")


def _with_names(uow: AbstractUnitOfWork, assignments: list[TeachingAssignment]) -> list[TeachingRow]:
    names = uow.staff.names(sorted({a.staff_id for a in assignments}))
    rows = [TeachingRow(a, names.get(a.staff_id, a.staff_id)) for a in assignments]
    return sorted(rows, key=lambda r: (r.assignment.class_id, r.assignment.subject_code, r.assignment.period.start))


def _leave_kind(leave: object | None) -> str | None:
    return None if leave is None else leave.kind.value  # type: ignore[attr-defined]


def actor_context(uow: AbstractUnitOfWork, account_id: str, org_ids: list[str]) -> tuple[str | None, frozenset[str]]:
    """The staff record linked to an account, and the aimags its orgs lie in (an officer's area)."""
    with uow:
        own = uow.staff.get_by_account(account_id)
        area = frozenset(code for org_id in org_ids for code in uow.directory.area_of(org_id))
        return (own.id if own else None), area


def names(uow: AbstractUnitOfWork, staff_ids: list[str]) -> dict[str, str]:
    """Short display names (Б.Болд): shown wherever a teacher is listed, not audited as a record read."""
    with uow:
        return uow.staff.names(staff_ids)


@dataclass(frozen=True)
class GridCell:
    """One class × subject: the curriculum's hours (None when not in it) and who teaches it on the day."""

    subject_code: str
    planned_hours: int | None
    teacher: str | None
    weekly_hours: int | None

    @property
    def gap(self) -> bool:
        return self.planned_hours is not None and self.teacher is None


@dataclass(frozen=True)
class GridRow:
    class_id: str
    name: str
    cells: tuple[GridCell, ...]


def assignment_grid(uow: AbstractUnitOfWork, actor: Actor, org_id: str, school_year: str,
                    day: date) -> tuple[list[str], list[GridRow]]:
    """Classes × subjects of a school on ``day``: the subjects (columns) and one row per class."""
    with uow:
        _require_read_org(uow, actor, org_id)
        classes = uow.directory.classes_of_org(org_id, school_year)
        taught = {(a.class_id, a.subject_code): a for a in uow.teaching.for_org(org_id, day)}
        names = uow.staff.names(sorted({a.staff_id for a in taught.values()}))
    subjects = sorted({s for c in classes for s in c.subject_hours} | {s for _, s in taught})
    rows = [GridRow(c.class_id, c.name, tuple(_cell(c.subject_hours.get(s), taught.get((c.class_id, s)), s, names)
                                              for s in subjects)) for c in classes]
    return subjects, rows


def _cell(planned: int | None, assignment: TeachingAssignment | None, subject: str,
          names: dict[str, str]) -> GridCell:
    if assignment is None:
        return GridCell(subject, planned, None, None)
    return GridCell(subject, planned, names.get(assignment.staff_id, assignment.staff_id), assignment.weekly_hours)
