"""Domain errors → the platform's JSON error shape, in the caller's language (Mongolian by default)."""

from __future__ import annotations

from typing import Any

from esis_shared.errors import error_body
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from education.domain.errors import DomainError, NeedsConfirmation
from education.domain.timetable import TimetableConflicts
from education.service_layer.bulk import BulkRejected

STATUS = {"invalid": 422, "not_found": 404, "conflict": 409, "forbidden": 403, "needs_confirmation": 409}


def body_for(exc: DomainError, lang: str) -> dict[str, Any]:
    details: dict[str, Any] = {**exc.details, "message_mn": exc.message_mn, "message_en": exc.message_en}
    if exc.field:
        details["fields"] = getattr(exc, "field_errors_en" if lang == "en" else "field_errors", None) or [
            {"field": exc.field, "message": exc.message(lang)}]
    if isinstance(exc, NeedsConfirmation):
        details["warnings"] = [w.as_dict(lang) for w in exc.warnings]
    if isinstance(exc, BulkRejected):
        details["errors"] = exc.errors(lang)
    if isinstance(exc, TimetableConflicts):
        details["conflicts"] = [c.as_dict(lang) for c in exc.conflicts]
    return error_body(exc.code, exc.message(lang), details)


def _lang(request: Request) -> str:
    chosen = request.query_params.get("lang") or request.cookies.get("lang") or "mn"
    return "en" if chosen == "en" else "mn"


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain_error(request: Request, exc: DomainError) -> JSONResponse:
        return JSONResponse(body_for(exc, _lang(request)), status_code=STATUS.get(exc.kind, 400))
