"""``POST /api/hr/v1/bulk/staff``: staff lists of many organisations at once, all or none (``bulk_staff``)."""

from __future__ import annotations

from typing import Any

import psycopg
from esis_shared.db import transaction
from esis_shared.errors import error_body
from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy.exc import IntegrityError

from hr.domain.errors import Conflict
from hr.entrypoints.api.deps import ActorDep, ContainerDep, LangDep
from hr.service_layer.bulk_staff import BULK_MAX, BulkRejected, BulkStaffRow, error_rows, load_staff
from hr.service_layer.staff_import import ImportRow

router = APIRouter(prefix="/api/hr/v1/bulk", tags=["bulk load"])


class StaffRow(BaseModel):
    """The staff import's columns (same names, same text values) and the organisation of the post."""

    org_id: str = Field(min_length=1, max_length=64)
    register_number: str = ""
    patronymic: str = ""
    given_name: str = ""
    clan_name: str = ""
    birth_date: str = ""
    sex: str = ""
    phone: str = ""
    email: str = ""
    position: str = ""
    fte: str = ""
    subject_code: str = ""
    start_date: str = ""
    rank: str = ""
    subjects: str = ""


class StaffLoad(BaseModel):
    rows: list[StaffRow] = Field(min_length=1, max_length=BULK_MAX)


@router.post("/staff", status_code=201, responses={
    422: {"description": "Nothing saved: `details.errors` lists every problem with its row (0-based) and field"},
    403: {"description": "Only the ministry loads in bulk"}})
def bulk_staff(body: StaffLoad, actor: ActorDep, container: ContainerDep, lang: LangDep) -> Any:
    """Up to 5,000 rows: a post at the row's organisation and a hire into it; announces StaffHired (and
    StaffQualificationsChanged for rows with a rank or subjects)."""
    rows = [BulkStaffRow(r.org_id, ImportRow(n, r.model_dump(exclude={"org_id"}))) for n, r in enumerate(body.rows)]
    try:
        with transaction(container.sessions) as session:
            report = load_staff(rows, actor, session, container.context)
    except BulkRejected as exc:
        return JSONResponse(error_body(exc.code, exc.message(lang), {
            "checked_rows": len(rows), "errors": error_rows(exc.errors, lang)}), status_code=422)
    except (IntegrityError, psycopg.IntegrityError) as exc:
        raise Conflict("duplicate_record", "Өөр хүсэлт ижил ажилтныг зэрэг бүртгэсэн; юу ч хадгалагдсангүй.",
                       "A row collides with one written at the same time; nothing was saved.") from exc
    return {"rows": report.rows, "staff": report.staff, "positions": report.positions}
