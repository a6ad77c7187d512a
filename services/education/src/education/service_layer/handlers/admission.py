"""Admission applications: submit, then approve (warnings overridden with reasons), suspend or reject."""

from __future__ import annotations

from education.domain import access
from education.domain.admission import AdmissionApplication
from education.domain.base import new_id
from education.domain.errors import Conflict, invalid
from education.domain.levels import level
from education.service_layer import commands
from education.service_layer.handlers.common import (
    Context,
    fetch,
    learner,
    school,
    school_class,
    school_year,
    today_or,
)
from education.service_layer.handlers.learners import enrol


def _require_school_admin(ctx: Context, school_id: str) -> None:
    access.require(access.manages_school(ctx.actor, school_id), "энэ сургуулийн элсэлтийг шийдвэрлэх",
                   "decide this school's admissions")


def _application(ctx: Context, application_id: str) -> AdmissionApplication:
    found = fetch(ctx.uow.applications, application_id, "Өргөдөл", "Application")
    _require_school_admin(ctx, found.school_id)
    return found


def submit_application(cmd: commands.SubmitApplication, ctx: Context) -> str:
    _require_school_admin(ctx, cmd.school_id)
    with ctx.uow:
        year = school_year(ctx, cmd.year_id)
        applicant = learner(ctx, cmd.learner_id)
        if applicant.open_enrolment is not None:
            raise Conflict("Суралцагч аль хэдийн суралцаж байна; өөр сургуулиас бол шилжүүлэг ашиглана.",
                           "The learner is already enrolled; from another school, use a transfer.",
                           code="admission_learner_enrolled")
        application = AdmissionApplication.submit(
            id=new_id(), school=school(ctx, cmd.school_id), learner=applicant, year_id=year.id,
            entry_year=year.start_year, level=level(cmd.level), on=ctx.clock.today())
        ctx.uow.applications.add(application)
        ctx.uow.commit()
        return application.id


def approve_application(cmd: commands.ApproveApplication, ctx: Context) -> None:
    """Approve; with ``class_id`` the learner is enrolled in the same transaction."""
    with ctx.uow:
        application = _application(ctx, cmd.application_id)
        applicant = learner(ctx, application.learner_id)
        warnings = application.warnings(applicant, school(ctx, application.school_id))
        application.approve(warnings, cmd.overrides, by=ctx.actor.id, on=ctx.clock.today())
        if cmd.class_id:
            target = school_class(ctx, cmd.class_id)
            _check_class_fits(application, target.school_id, target.level_code, target.year_id)
            enrol(ctx, applicant, target, today_or(ctx, cmd.on))
        ctx.uow.commit()


def _check_class_fits(application: AdmissionApplication, school_id: str, level_code: str, year_id: str) -> None:
    if (school_id, level_code, year_id) != (application.school_id, application.level_code, application.year_id):
        raise invalid("class_id", "admission_class_mismatch", "Өргөдлийн сургууль, түвшин, хичээлийн жилд тохирох "
                      "бүлгийг сонгоно уу.", "Choose a class of the application's school, level and school year.")


def suspend_application(cmd: commands.SuspendApplication, ctx: Context) -> None:
    with ctx.uow:
        _application(ctx, cmd.application_id).suspend(list(cmd.missing_documents), by=ctx.actor.id,
                                                       on=ctx.clock.today())
        ctx.uow.commit()


def reject_application(cmd: commands.RejectApplication, ctx: Context) -> None:
    with ctx.uow:
        _application(ctx, cmd.application_id).reject(cmd.reason, by=ctx.actor.id, on=ctx.clock.today())
        ctx.uow.commit()
