"""Bulk import of staff lists (CSV or XLSX): all rows or none, with a report naming row and column."""

from __future__ import annotations

from typing import Annotated, Any

from esis_shared.errors import ApiError, error_body
from fastapi import APIRouter, File, Query, UploadFile
from fastapi.responses import JSONResponse, Response

from hr.entrypoints.api.deps import ActorDep, ContainerDep, LangDep
from hr.entrypoints.staff_sheet import BY_FIELD, read_sheet, template_csv
from hr.service_layer.staff_import import ImportReport, ImportStaff, RowError

router = APIRouter(prefix="/api/hr/v1/imports", tags=["imports"])
MAX_BYTES = 5 * 1024 * 1024


@router.post("/staff", status_code=201, responses={422: {"description": "Rejected: nothing was imported"}})
async def import_staff(org_id: Annotated[str, Query(min_length=1, max_length=64)],
                       file: Annotated[UploadFile, File(description="CSV (UTF-8) or XLSX, header in row 1")],
                       actor: ActorDep, container: ContainerDep, lang: LangDep) -> Any:
    """Hire everyone on the list into new posts of ``org_id``; any problem rejects the whole file."""
    content = await file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ApiError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB", code="too_large", status_code=413)
    sheet = read_sheet(file.filename or "upload", content)
    if sheet.errors:
        return _rejected(ImportReport(False, 0, errors=sheet.errors), sheet.headers, lang)
    report = container.bus.handle(ImportStaff(actor, org_id, sheet.rows))
    if not report.imported:
        return _rejected(report, sheet.headers, lang)
    return {"imported": True, "rows": report.rows, "new_staff": report.new_staff,
            "existing_staff": report.existing_staff}


@router.get("/staff/template.csv")
def template(lang: LangDep) -> Response:
    """An empty staff list with the expected columns."""
    return Response(template_csv(lang), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": 'attachment; filename="staff-template.csv"'})


def _rejected(report: ImportReport, headers: dict[str, str], lang: str) -> JSONResponse:
    rows = [_row(error, headers, lang) for error in report.errors]
    failed = len({e.row for e in report.errors})
    message = (f"{failed} row(s) have problems; nothing was imported." if lang == "en" else
               f"{failed} мөрөнд алдаа байна; юу ч бүртгэгдсэнгүй.")
    return JSONResponse(error_body("import_rejected", message, {"rows": rows, "checked_rows": report.rows}),
                        status_code=422)


def _row(error: RowError, headers: dict[str, str], lang: str) -> dict[str, Any]:
    column = BY_FIELD.get(error.field)
    default = "" if column is None else (column.en if lang == "en" else column.mn)
    written = headers.get(error.field) or default
    return {"row": error.row, "column": written, "field": error.field, "code": error.code,
            "message": error.message(lang)}
