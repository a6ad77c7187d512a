"""Handlers for teaching assignments: assign (refusing overlaps, noting overload) and unassign."""

from __future__ import annotations

from dataclasses import dataclass

from hr.domain.access import require_manage_org
from hr.domain.assignments import ClassTeaching, TeachingAssignment, assignment_period, workload_on
from hr.domain.directory import ClassInfo
from hr.domain.errors import Conflict, InvalidInput, not_found
from hr.domain.kinds import TEACHING_KINDS, UnassignReason, parse_kind
from hr.domain.notices import Notice, not_in_curriculum, not_qualified, on_leave, over_norm
from hr.domain.staff import StaffMember, check_subject_codes
from hr.domain.values import Period, SchoolYear
from hr.service_layer import commands
from hr.service_layer.handlers.common import Context, load_class, load_staff
from hr.service_layer.unit_of_work import AbstractUnitOfWork


@dataclass(frozen=True)
class Assigned:
    assignment: TeachingAssignment
    notices: tuple[Notice, ...]


def assign_teaching(cmd: commands.AssignTeaching, uow: AbstractUnitOfWork, ctx: Context) -> Assigned:
    year = SchoolYear.parse(cmd.school_year)
    check_subject_codes([cmd.subject_code])
    period = assignment_period(year, cmd.start_date, cmd.last_day)
    with uow:
        info = load_class(uow, cmd.class_id)
        require_manage_org(cmd.actor, info.org_id)
        _require_same_year(info, year)
        staff = load_staff(uow, cmd.staff_id)
        _require_employed(staff, info, period)
        already = uow.teaching.for_staff(staff.id, period.start)
        teaching = _class_teaching(uow, info, year)
        assignment = teaching.assign(ctx.new_id(), staff.id, cmd.subject_code, cmd.weekly_hours, period,
                                     describe=lambda sid: uow.staff.names([sid]).get(sid, sid))
        notices = _notices(staff, info, [*already, assignment], assignment, ctx)
        uow.commit()
    return Assigned(assignment, notices)


def unassign_teaching(cmd: commands.UnassignTeaching, uow: AbstractUnitOfWork, ctx: Context) -> TeachingAssignment:
    reason = parse_kind(UnassignReason, cmd.reason, field="reason")
    with uow:
        teaching = uow.teaching.get_by_assignment(cmd.assignment_id)
        if teaching is None:
            raise not_found("Хичээлийн хуваарилалт", "Teaching assignment", cmd.assignment_id,
                            code="assignment_not_found")
        require_manage_org(cmd.actor, teaching.org_id)
        assignment = teaching.unassign(cmd.assignment_id, cmd.last_day, reason)
        uow.commit()
    return assignment


def _class_teaching(uow: AbstractUnitOfWork, info: ClassInfo, year: SchoolYear) -> ClassTeaching:
    teaching = uow.teaching.get(info.class_id, year)
    if teaching is None:
        teaching = ClassTeaching(info.class_id, info.org_id, year)
        uow.teaching.add(teaching)
    return teaching


def _require_same_year(info: ClassInfo, year: SchoolYear) -> None:
    if info.school_year != year.label:
        raise InvalidInput("class_of_other_year", f"\"{info.name}\" анги {info.school_year} хичээлийн жилийнх, "
                           f"{year} биш.", f"Class \"{info.name}\" belongs to school year {info.school_year}, "
                           f"not {year}.", field="school_year")


def _require_employed(staff: StaffMember, info: ClassInfo, period: Period) -> None:
    if not staff.history.employed_at(info.org_id, period):
        raise Conflict("teacher_not_employed_here", f"{staff.name.display} {period.start}-нд энэ сургуульд ажиллаагүй "
                       "тул хичээл хуваарилах боломжгүй.", f"{staff.name.display} is not employed at this school on "
                       f"{period.start}, so no teaching can be assigned.", field="staff_id")


def _notices(staff: StaffMember, info: ClassInfo, assignments: list[TeachingAssignment],
             new: TeachingAssignment, ctx: Context) -> tuple[Notice, ...]:
    day = new.period.start
    notices: list[Notice] = []
    if not staff.qualified_for(new.subject_code):
        notices.append(not_qualified(new.subject_code))
    if new.subject_code not in info.subject_hours:
        notices.append(not_in_curriculum(new.subject_code))
    load = workload_on(staff.id, assignments, day, norm_per_fte=ctx.policy.workload_norm_hours,
                       fte=staff.history.fte_on(day, TEACHING_KINDS))
    if load.over_norm:
        notices.append(over_norm(load.weekly_hours, load.norm_hours))
    leave = staff.history.leave_on(day)
    if leave is not None:
        notices.append(on_leave(leave.kind.name_mn, leave.kind.name_en, leave.period.start))
    return tuple(notices)
