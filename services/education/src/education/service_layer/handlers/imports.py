"""Class-list imports: start a job, run it (check every row; import all rows or none), confirm a dry run.

The job's state and progress are saved beside the main transaction, so a person can watch a long import and a
rejected or failed one leaves its report; the learners, guardians and enrolments are saved only by the main
transaction, together with the job's "done".
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from education.domain import access
from education.domain.base import new_id
from education.domain.errors import DomainError, invalid
from education.domain.imports import ImportJob, ImportState, ImportSummary, RowError, whole_file_error
from education.service_layer import commands
from education.service_layer.class_import import check_rows
from education.service_layer.handlers.common import Context, fetch, school, school_year, today_or
from education.service_layer.unit_of_work import AbstractUnitOfWork

log = logging.getLogger(__name__)


def _require_school_admin(ctx: Context, school_id: str) -> None:
    access.require(access.manages_school(ctx.actor, school_id), "энэ сургуулийн суралцагчдыг импортлох",
                   "import this school's learners")


def import_job(ctx: Context, job_id: str, uow: AbstractUnitOfWork | None = None) -> ImportJob:
    return fetch((uow or ctx.uow).import_jobs, job_id, "Импорт", "Import")


def start_class_import(cmd: commands.StartClassImport, ctx: Context) -> str:
    _require_school_admin(ctx, cmd.school_id)
    if not cmd.rows:
        raise invalid("file", "import_no_rows", "Файлд суралцагчийн мөр алга.", "The file has no learner rows.")
    with ctx.uow:
        school(ctx, cmd.school_id)
        school_year(ctx, cmd.year_id)
        job = ImportJob.create(id=new_id(), school_id=cmd.school_id, year_id=cmd.year_id, filename=cmd.filename,
                               dry_run=cmd.dry_run, enrol_on=today_or(ctx, cmd.enrol_on), rows=list(cmd.rows),
                               headers=cmd.headers, by=ctx.actor.id, at=ctx.clock.now())
        ctx.uow.import_jobs.add(job)
        ctx.uow.commit()
        return job.id


def confirm_class_import(cmd: commands.ConfirmClassImport, ctx: Context) -> str:
    with ctx.uow:
        checked = import_job(ctx, cmd.job_id)
        _require_school_admin(ctx, checked.school_id)
        job_id = new_id()
        rows = checked.confirm(job_id, ctx.clock.now())
        job = ImportJob.create(id=job_id, school_id=checked.school_id, year_id=checked.year_id,
                               filename=checked.filename, dry_run=False, enrol_on=checked.enrol_on, rows=rows,
                               headers=checked.headers, by=ctx.actor.id, at=ctx.clock.now())
        ctx.uow.import_jobs.add(job)
        ctx.uow.commit()
        return job.id


def run_class_import(cmd: commands.RunClassImport, ctx: Context) -> ImportState:
    job = _aside(ctx, cmd.job_id, lambda j: _start(ctx, j))
    try:
        return _check_and_save(ctx, job)
    except DomainError as exc:  # e.g. someone changed a class or a learner meanwhile
        error = RowError.of(0, exc.field or "", exc)
    except Exception:
        log.exception("class-list import %s failed", job.id)
        error = whole_file_error("import_failed", "Импорт гэнэт зогссон; юу ч бүртгэгдсэнгүй. Дахин оролдоно уу.",
                                 "The import stopped unexpectedly; nothing was imported. Try again.")
    _aside(ctx, job.id, lambda j: j.fail(error, ctx.clock.now()))
    return ImportState.FAILED


def _start(ctx: Context, job: ImportJob) -> None:
    _require_school_admin(ctx, job.school_id)
    job.start(ctx.clock.now())


def _check_and_save(ctx: Context, job: ImportJob) -> ImportState:
    with ctx.uow:
        summary, errors = check_rows(ctx, job, lambda done: _aside(ctx, job.id, lambda j: j.progress(
            done, ctx.clock.now())))
        if errors or job.dry_run:
            ctx.uow.rollback()
            return _finish_aside(ctx, job.id, summary, errors)
        saved = import_job(ctx, job.id)  # read only now: progress saved beside us changed its version
        saved.finish(summary, [], ctx.clock.now())
        ctx.uow.commit()
        return saved.state


def _finish_aside(ctx: Context, job_id: str, summary: ImportSummary, errors: list[RowError]) -> ImportState:
    return _aside(ctx, job_id, lambda j: j.finish(summary, errors, ctx.clock.now())).state


def _aside(ctx: Context, job_id: str, change: Callable[[ImportJob], None]) -> ImportJob:
    """Change the job in a transaction of its own, beside the main one."""
    assert ctx.fresh is not None, "imports need the bus's unit-of-work factory"
    with ctx.fresh() as uow:
        job = import_job(ctx, job_id, uow)
        change(job)
        uow.commit()
        return job
