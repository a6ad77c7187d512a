"""Handlers for the staff registry and employment history: hire, move, leave, exit, qualifications."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from esis_shared.national_id import normalize

from hr.domain.access import Actor, can_manage_staff, can_read_staff, require, require_manage_org
from hr.domain.audit import record_read
from hr.domain.employment import Appointment
from hr.domain.kinds import ExitReason, LeaveKind, UnassignReason, parse_kind
from hr.domain.positions import Position
from hr.domain.staff import Qualifications, StaffMember, parse_sex, validated_register_number
from hr.domain.values import Contact, Education, Licence, Period, PersonName, fte
from hr.service_layer import commands
from hr.service_layer.handlers.common import Context, load_position, load_staff
from hr.service_layer.unit_of_work import AbstractUnitOfWork


@dataclass(frozen=True)
class Hired:
    staff_id: str
    appointment_id: str
    new_record: bool


def hire_staff(cmd: commands.HireStaff, uow: AbstractUnitOfWork, ctx: Context) -> Hired:
    with uow:
        position = load_position(uow, cmd.position_id)
        require_manage_org(cmd.actor, position.org_id)
        hired = hire_into(uow, ctx, cmd.person, position, fte(cmd.fte), cmd.start_date)
        uow.commit()
    return hired


def hire_into(uow: AbstractUnitOfWork, ctx: Context, person: commands.PersonDetails, position: Position,
              amount: Decimal, start: date) -> Hired:
    """Hire inside an open unit of work (the caller checked access and commits)."""
    staff, new_record = _find_or_register(uow, person, ctx)
    position.check_room_for(amount, Period(start), uow.staff.holdings(position.id))
    appointment = staff.hire(ctx.new_id(), position, amount, start, max_total_fte=ctx.policy.max_total_fte)
    _fill_vacancy(uow, position, staff.id, start)
    return Hired(staff.id, appointment.id, new_record)


def change_position(cmd: commands.ChangePosition, uow: AbstractUnitOfWork, ctx: Context) -> Appointment:
    return _move(cmd, uow, ctx, StaffMember.change_position)


def transfer_staff(cmd: commands.TransferStaff, uow: AbstractUnitOfWork, ctx: Context) -> Appointment:
    return _move(cmd, uow, ctx, StaffMember.transfer)


def start_leave(cmd: commands.StartLeave, uow: AbstractUnitOfWork, ctx: Context) -> str:
    kind = parse_kind(LeaveKind, cmd.kind, field="kind")
    with uow:
        staff = _managed_staff(uow, cmd.actor, cmd.staff_id, ctx.today())
        leave = staff.start_leave(ctx.new_id(), kind, cmd.start_date, cmd.expected_last_day)
        uow.commit()
    return leave.id


def end_leave(cmd: commands.EndLeave, uow: AbstractUnitOfWork, ctx: Context) -> None:
    with uow:
        staff = _managed_staff(uow, cmd.actor, cmd.staff_id, ctx.today())
        staff.end_leave(cmd.leave_id, cmd.last_day)
        uow.commit()


def exit_staff(cmd: commands.ExitStaff, uow: AbstractUnitOfWork, ctx: Context) -> list[str]:
    reason = parse_kind(ExitReason, cmd.reason, field="reason")
    with uow:
        require_manage_org(cmd.actor, cmd.org_id)
        staff = load_staff(uow, cmd.staff_id)
        ended = staff.exit(cmd.org_id, cmd.last_day, reason)
        end_teaching(uow, staff.id, cmd.org_id, cmd.last_day)
        uow.commit()
    return [a.id for a in ended]


def update_qualifications(cmd: commands.UpdateQualifications, uow: AbstractUnitOfWork, ctx: Context) -> None:
    qualifications = Qualifications(
        tuple(Education(e.degree, e.institution, e.year, e.speciality) for e in cmd.education),
        cmd.rank_code, tuple(Licence(lc.kind, lc.number, lc.issued_on, lc.expires_on) for lc in cmd.licences),
        frozenset(cmd.subject_codes))
    with uow:
        staff = _managed_staff(uow, cmd.actor, cmd.staff_id, ctx.today())
        staff.update_qualifications(qualifications, ctx.ranks, ctx.today())
        uow.commit()


def update_contact(cmd: commands.UpdateContact, uow: AbstractUnitOfWork, ctx: Context) -> None:
    contact = Contact(cmd.phone.strip(), cmd.email.strip(), cmd.address.strip())
    with uow:
        staff = _managed_staff(uow, cmd.actor, cmd.staff_id, ctx.today())
        staff.update_contact(contact)
        uow.commit()


def link_account(cmd: commands.LinkAccount, uow: AbstractUnitOfWork, ctx: Context) -> None:
    with uow:
        staff = _managed_staff(uow, cmd.actor, cmd.staff_id, ctx.today())
        staff.link_account(cmd.account_id, ctx.today())
        uow.commit()


def view_staff(cmd: commands.ViewStaff, uow: AbstractUnitOfWork, ctx: Context) -> StaffMember:
    """The full record, after checking access and writing the audit entry in the same transaction."""
    with uow:
        staff = load_staff(uow, cmd.staff_id)
        orgs = uow.directory.aimags_of(staff.history.org_ids_from(ctx.today()))
        require(can_read_staff(cmd.actor, staff.id, orgs), "энэ ажилтны мэдээллийг үзэх",
                "read this staff member's record")
        entry = record_read(ctx.new_id(), staff.id, cmd.actor, cmd.purpose, ctx.now())
        if entry is not None:
            uow.audit.add(entry)
        uow.commit()
    return staff


def end_teaching(uow: AbstractUnitOfWork, staff_id: str, org_id: str, last_day: date) -> None:
    """A teacher who leaves a school stops teaching its classes after their last day there."""
    for teaching in uow.teaching.open_for_staff(staff_id, org_id, last_day):
        for assignment in teaching.open_for_staff(staff_id, last_day):
            teaching.unassign(assignment.id, last_day, UnassignReason.STAFF_LEFT)


Move = Callable[..., Appointment]


def _move(cmd: commands.ChangePosition | commands.TransferStaff, uow: AbstractUnitOfWork, ctx: Context,
          action: Move) -> Appointment:
    amount = fte(cmd.fte)
    with uow:
        staff = load_staff(uow, cmd.staff_id)
        current = staff.history.open_appointment(cmd.appointment_id)
        require_manage_org(cmd.actor, current.org_id)
        position = load_position(uow, cmd.position_id)
        position.check_room_for(amount, Period(cmd.effective_date), uow.staff.holdings(position.id))
        moved = action(staff, current.id, ctx.new_id(), position, amount, cmd.effective_date,
                       max_total_fte=ctx.policy.max_total_fte)
        if moved.org_id != current.org_id:
            end_teaching(uow, staff.id, current.org_id, cmd.effective_date - timedelta(days=1))
        _fill_vacancy(uow, position, staff.id, cmd.effective_date)
        uow.commit()
    return moved


def _find_or_register(uow: AbstractUnitOfWork, person: commands.PersonDetails,
                      ctx: Context) -> tuple[StaffMember, bool]:
    sex = parse_sex(person.sex)
    validated_register_number(person.register_number, person.birth_date, sex, ctx.today())
    existing = uow.staff.get_by_register_number(normalize(person.register_number))
    if existing is not None:
        return existing, False
    name = PersonName(person.patronymic.strip(), person.given_name.strip(), person.clan_name.strip())
    contact = Contact(person.phone.strip(), person.email.strip(), person.address.strip())
    staff = StaffMember.register(ctx.new_id(), person.register_number, name, person.birth_date, sex,
                                 contact=contact, today=ctx.today())
    uow.staff.add(staff)
    return staff, True


def _managed_staff(uow: AbstractUnitOfWork, actor: Actor, staff_id: str, today: date) -> StaffMember:
    staff = load_staff(uow, staff_id)
    require(can_manage_staff(actor, staff.history.org_ids_from(today)), "энэ ажилтны мэдээллийг өөрчлөх",
            "change this staff member's record")
    return staff


def _fill_vacancy(uow: AbstractUnitOfWork, position: Position, staff_id: str, on: date) -> None:
    vacancy = uow.vacancies.oldest_open(position.id)
    if vacancy is not None:
        vacancy.fill(staff_id, on)

