"""Dispatches a command to its handler with a fresh unit of work and the shared context."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from hr.service_layer import commands, staff_import
from hr.service_layer.handlers import directory, positions, staff, teaching
from hr.service_layer.handlers.common import Context
from hr.service_layer.unit_of_work import AbstractUnitOfWork

Handler = Callable[[Any, AbstractUnitOfWork, Context], Any]

HANDLERS: dict[type[commands.Command], Handler] = {
    commands.CreatePosition: positions.create_position,
    commands.OpenVacancy: positions.open_vacancy,
    commands.CancelVacancy: positions.cancel_vacancy,
    commands.HireStaff: staff.hire_staff,
    commands.ChangePosition: staff.change_position,
    commands.TransferStaff: staff.transfer_staff,
    commands.StartLeave: staff.start_leave,
    commands.EndLeave: staff.end_leave,
    commands.ExitStaff: staff.exit_staff,
    commands.UpdateQualifications: staff.update_qualifications,
    commands.UpdateContact: staff.update_contact,
    commands.LinkAccount: staff.link_account,
    commands.ViewStaff: staff.view_staff,
    commands.AssignTeaching: teaching.assign_teaching,
    commands.UnassignTeaching: teaching.unassign_teaching,
    commands.SaveOrg: directory.save_org,
    commands.SaveClass: directory.save_class,
    staff_import.ImportStaff: staff_import.import_staff,
}


class MessageBus:
    def __init__(self, uow_factory: Callable[[], AbstractUnitOfWork], context: Context) -> None:
        self.uow_factory = uow_factory
        self.context = context

    def handle(self, command: commands.Command) -> Any:
        return HANDLERS[type(command)](command, self.uow_factory(), self.context)
