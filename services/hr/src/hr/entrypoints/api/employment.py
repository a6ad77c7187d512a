"""Employment changes of one staff member: change of position, transfer, leave, exit."""

from __future__ import annotations

from fastapi import APIRouter

from hr.entrypoints.api.deps import ActorDep, ContainerDep, LangDep
from hr.entrypoints.api.responses import AppointmentOut
from hr.entrypoints.api.schemas import ExitIn, LeaveEndIn, LeaveIn, MoveIn
from hr.service_layer import commands

router = APIRouter(prefix="/api/hr/v1/staff/{staff_id}", tags=["employment"])


@router.post("/position-changes", response_model=AppointmentOut, status_code=201)
def change_position(staff_id: str, body: MoveIn, actor: ActorDep, container: ContainerDep,
                    lang: LangDep) -> AppointmentOut:
    """Move to another position of the same organisation from ``effective_date``; the old one stays in history."""
    moved = container.bus.handle(commands.ChangePosition(actor, staff_id, body.appointment_id, body.position_id,
                                                         body.fte, body.effective_date))
    return AppointmentOut.of(moved, lang)


@router.post("/transfers", response_model=AppointmentOut, status_code=201)
def transfer(staff_id: str, body: MoveIn, actor: ActorDep, container: ContainerDep, lang: LangDep) -> AppointmentOut:
    """Transfer to a position of another organisation; teaching at the old one ends the day before."""
    moved = container.bus.handle(commands.TransferStaff(actor, staff_id, body.appointment_id, body.position_id,
                                                        body.fte, body.effective_date))
    return AppointmentOut.of(moved, lang)


@router.post("/leaves", status_code=201)
def start_leave(staff_id: str, body: LeaveIn, actor: ActorDep, container: ContainerDep) -> dict[str, str]:
    leave_id = container.bus.handle(commands.StartLeave(actor, staff_id, body.kind, body.start_date,
                                                        body.expected_last_day))
    return {"leave_id": leave_id}


@router.post("/leaves/{leave_id}/end", status_code=204)
def end_leave(staff_id: str, leave_id: str, body: LeaveEndIn, actor: ActorDep, container: ContainerDep) -> None:
    container.bus.handle(commands.EndLeave(actor, staff_id, leave_id, body.last_day))


@router.post("/exits", status_code=201)
def exit_staff(staff_id: str, body: ExitIn, actor: ActorDep, container: ContainerDep) -> dict[str, list[str]]:
    """Leave ``org_id`` after ``last_day`` with a reason; teaching there ends the same day."""
    ended = container.bus.handle(commands.ExitStaff(actor, staff_id, body.org_id, body.last_day, body.reason))
    return {"ended_appointment_ids": ended}
