"""/api/education/v1/imports: class lists (CSV or XLSX) checked row by row, imported all or nothing, in the
background with progress; the report names the row, the column and the reason."""

from __future__ import annotations

from concurrent.futures import Future, wait
from datetime import date, datetime
from typing import Annotated, Any

from esis_shared.errors import ApiError, error_body
from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import JSONResponse, Response

from education.bootstrap import Container
from education.domain.access import Actor
from education.domain.imports import ImportJob, RowError
from education.entrypoints.api.deps import PREFIX, ActorDep, ContainerDep, LangDep
from education.entrypoints.class_sheet import column_label, in_reading_order, read_sheet, template_csv
from education.service_layer import commands, views

router = APIRouter(prefix=f"{PREFIX}/imports", tags=["bulk import"])
MAX_BYTES = 5 * 1024 * 1024
Wait = Annotated[float, Query(ge=0, le=30, description="seconds to wait for the result before answering")]


@router.post("/class-lists", status_code=202, responses={422: {"description": "The file cannot be read"}})
def upload_class_list(school_id: Annotated[str, Query(min_length=1, max_length=64)],
                      year_id: Annotated[str, Query(min_length=9, max_length=9)],
                      file: Annotated[UploadFile, File(description="CSV (UTF-8) or XLSX, header in row 1")],
                      container: ContainerDep, actor: ActorDep, lang: LangDep, dry_run: bool = False,
                      enrol_on: date | None = None, wait_s: Wait = 0) -> Response:
    """Check (``dry_run``) or import a class list; answers with the import job, to be followed at its URL."""
    content = file.file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ApiError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB", code="too_large", status_code=413)
    sheet = read_sheet(file.filename or "upload", content)
    if sheet.errors:
        return unreadable(sheet.errors, sheet.headers, lang)
    command = commands.StartClassImport(school_id, year_id, file.filename or "upload", sheet.rows, sheet.headers,
                                        dry_run, enrol_on)
    return _accepted(container, actor, *container.start_import(command, actor), wait_s, lang)


@router.get("/class-lists/template.csv")
def template(lang: LangDep) -> Response:
    """An empty class list with the expected columns."""
    return Response(template_csv(lang), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="class-list.csv"'})


@router.get("")
def school_imports(school_id: str, container: ContainerDep, actor: ActorDep, lang: LangDep) -> list[dict[str, Any]]:
    """The school's latest imports, newest first (without their row reports)."""
    now = container.clock.now()
    return [{**job_json(j, lang, now), "errors": []} for j in views.import_jobs(container.context(actor), school_id)]


@router.get("/{job_id}")
def import_job(job_id: str, container: ContainerDep, actor: ActorDep, lang: LangDep) -> dict[str, Any]:
    return job_json(views.import_job(container.context(actor), job_id), lang, container.clock.now())


@router.post("/{job_id}/confirm", status_code=202)
def confirm(job_id: str, container: ContainerDep, actor: ActorDep, lang: LangDep, wait_s: Wait = 0) -> Response:
    """Import the rows of a dry run that found no problems (without sending the file again)."""
    started = container.start_import(commands.ConfirmClassImport(job_id), actor)
    return _accepted(container, actor, *started, wait_s, lang)


def _accepted(container: Container, actor: Actor, job_id: str, done: Future[Any], wait_s: float,
              lang: str) -> JSONResponse:
    if wait_s:
        wait([done], timeout=wait_s)
    job = views.import_job(container.context(actor), job_id)
    return JSONResponse(job_json(job, lang, container.clock.now()), status_code=202,
                        headers={"Location": f"{PREFIX}/imports/{job_id}"})


def job_json(job: ImportJob, lang: str, now: datetime) -> dict[str, Any]:
    summary = vars(job.summary) if job.summary else None
    percent = round(100 * job.processed_rows / job.total_rows) if job.total_rows else 100
    return {"id": job.id, "school_id": job.school_id, "year_id": job.year_id, "filename": job.filename,
            "dry_run": job.dry_run, "state": job.state_on(now).value, "enrol_on": job.enrol_on.isoformat(),
            "total_rows": job.total_rows, "processed_rows": job.processed_rows, "percent": percent,
            "summary": summary, "error_rows": len({e.row for e in job.errors}),
            "errors": [error_json(e, job.headers, lang) for e in in_reading_order(job.errors)],
            "created_at": job.created_at.isoformat(), "finished_at": job.finished_at and job.finished_at.isoformat(),
            "confirmed_by_job_id": job.confirmed_by_job_id}


def error_json(error: RowError, headers: dict[str, str], lang: str) -> dict[str, Any]:
    return {"row": error.row, "column": column_label(error.field, lang, headers), "field": error.field,
            "code": error.code, "message": error.message(lang)}


def unreadable(errors: tuple[RowError, ...], headers: dict[str, str], lang: str) -> JSONResponse:
    message = ("The file cannot be imported; nothing was recorded." if lang == "en" else
               "Файлыг импортлох боломжгүй; юу ч бүртгэгдсэнгүй.")
    rows = [error_json(e, headers, lang) for e in errors]
    return JSONResponse(error_body("import_rejected", message, {"rows": rows}), status_code=422)
