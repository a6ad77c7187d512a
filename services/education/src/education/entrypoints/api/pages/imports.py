"""Importing class lists from the browser: upload (dry run by default), follow the progress, read the row-error
report, and import a clean dry run without sending the file again."""

from __future__ import annotations

from typing import Any

from esis_shared.web import redirect, render
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response
from starlette.datastructures import UploadFile

from education.domain.errors import DomainError
from education.domain.imports import FINISHED, ImportJob, RowError
from education.entrypoints.api.imports import MAX_BYTES
from education.entrypoints.api.pages.common import Page, PageDep, guard
from education.entrypoints.class_sheet import column_label, in_reading_order, read_sheet
from education.service_layer import commands, desk_views, views

router = APIRouter(include_in_schema=False)
PATH = "/education/imports"


@router.get(PATH)
def imports(p: PageDep, school_id: str = "") -> Response:
    return _upload_page(p, p.school_id(school_id))


def _upload_page(p: Page, school_id: str, *, errors: list[dict[str, Any]] | None = None, message: str = "",
                 status_code: int = 200) -> Response:
    jobs = guard(lambda: views.import_jobs(p.ctx(), school_id)) if school_id else []
    context = {"jobs": jobs, "years": desk_views.school_years(p.ctx()), "year_id": p.year_id(),
               "errors": errors or [], "message": message, "now": p.container.clock.now()}
    return render(p.request, "edu_imports.html", {**p.frame("imports", school_id), **context},
                  status_code=status_code)


@router.post(PATH)
async def upload(request: Request, p: PageDep) -> Response:
    form = await request.form()
    school_id, year_id = str(form.get("school_id", "")), str(form.get("year_id", ""))
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return await run_in_threadpool(_upload_page, p, school_id, message=_no_file(p), status_code=422)
    content = await upload.read(MAX_BYTES + 1)
    sheet = read_sheet(upload.filename, content[:MAX_BYTES])
    if sheet.errors:
        rows = [_row(e, sheet.headers, p.lang) for e in sheet.errors]
        return await run_in_threadpool(_upload_page, p, school_id, errors=rows, status_code=422)
    command = commands.StartClassImport(school_id, year_id, upload.filename, sheet.rows, sheet.headers,
                                        dry_run=form.get("dry_run") == "1")
    return await _started(p, command, school_id)


@router.get(PATH + "/{job_id}")
def job_page(p: PageDep, job_id: str) -> Response:
    job: ImportJob = guard(lambda: views.import_job(p.ctx(), job_id))
    state = job.state_on(p.container.clock.now())
    errors = [_row(e, job.headers, p.lang) for e in in_reading_order(job.errors)]
    percent = round(100 * job.processed_rows / job.total_rows) if job.total_rows else 100
    context = {"job": job, "state": state.value, "running": state not in FINISHED, "errors": errors,
               "error_rows": len({e.row for e in job.errors}), "percent": percent,
               "confirmable": job.dry_run and state.value == "done" and bool(job.rows)}
    return render(p.request, "edu_import_job.html", {**p.frame("imports", job.school_id), **context})


@router.post(PATH + "/{job_id}/confirm")
async def confirm(p: PageDep, job_id: str) -> Response:
    job: ImportJob = await run_in_threadpool(guard, lambda: views.import_job(p.ctx(), job_id))
    return await _started(p, commands.ConfirmClassImport(job_id), job.school_id)


async def _started(p: Page, command: commands.Command, school_id: str) -> Response:
    try:
        job_id, _ = await run_in_threadpool(p.container.start_import, command, p.actor)
    except DomainError as exc:
        return await run_in_threadpool(_upload_page, p, school_id, message=p.message(exc), status_code=422)
    return redirect(f"{PATH}/{job_id}")


def _row(error: RowError, headers: dict[str, str], lang: str) -> dict[str, Any]:
    return {"row": error.row, "column": column_label(error.field, lang, headers), "message": error.message(lang)}


def _no_file(p: Page) -> str:
    return "Choose a CSV or XLSX file." if p.lang == "en" else "CSV эсвэл XLSX файлаа сонгоно уу."
