"""Dispatch a command to its handler with a fresh unit of work, the actor and the clock."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from education.domain.access import Actor
from education.service_layer import commands
from education.service_layer.clock import Clock
from education.service_layer.handlers import admission, imports, learners, org, school, transfers
from education.service_layer.handlers.common import Context
from education.service_layer.unit_of_work import AbstractUnitOfWork

Handler = Callable[[Any, Context], Any]

HANDLERS: dict[type[commands.Command], Handler] = {
    commands.CreateOrgUnit: org.create_org_unit,
    commands.MoveOrgUnit: org.move_org_unit,
    commands.MergeOrgUnits: org.merge_org_units,
    commands.CloseOrgUnit: org.close_org_unit,
    commands.SetCatchment: org.set_catchment,
    commands.DefineSchoolYear: school.define_school_year,
    commands.DefineSubject: school.define_subject,
    commands.SetWeeklyHours: school.set_weekly_hours,
    commands.OpenClass: school.open_class,
    commands.ChangeClass: school.change_class,
    commands.SaveTimetable: school.save_timetable,
    commands.PublishTimetable: school.publish_timetable,
    commands.RegisterLearner: learners.register_learner,
    commands.AddGuardian: learners.add_guardian,
    commands.VerifyGuardianLink: learners.verify_guardian_link,
    commands.RevokeGuardianLink: learners.revoke_guardian_link,
    commands.VerifyGuardianClaim: learners.verify_guardian_claim,
    commands.EnrolLearner: learners.enrol_learner,
    commands.MoveLearnerToClass: learners.move_learner_to_class,
    commands.WithdrawLearner: learners.withdraw_learner,
    commands.SubmitApplication: admission.submit_application,
    commands.ApproveApplication: admission.approve_application,
    commands.SuspendApplication: admission.suspend_application,
    commands.RejectApplication: admission.reject_application,
    commands.RequestTransfer: transfers.request_transfer,
    commands.ReleaseTransfer: transfers.release_transfer,
    commands.ApproveTransfer: transfers.approve_transfer,
    commands.RejectTransfer: transfers.reject_transfer,
    commands.CancelTransfer: transfers.cancel_transfer,
    commands.EscalateStaleTransfers: transfers.escalate_stale_transfers,
    commands.StartClassImport: imports.start_class_import,
    commands.RunClassImport: imports.run_class_import,
    commands.ConfirmClassImport: imports.confirm_class_import,
}


class MessageBus:
    def __init__(self, uow_factory: Callable[[], AbstractUnitOfWork], clock: Clock,
                 handlers: dict[type[commands.Command], Handler] | None = None) -> None:
        self.uow_factory = uow_factory
        self.clock = clock
        self.handlers = handlers or HANDLERS

    def context(self, actor: Actor) -> Context:
        return Context(self.uow_factory(), actor, self.clock, self.uow_factory)

    def handle(self, command: commands.Command, actor: Actor) -> Any:
        return self.handlers[type(command)](command, self.context(actor))
