"""Domain errors → the platform's JSON error shape, in the caller's language (Mongolian unless ``lang=en``).

``details.fields`` names the offending field(s); ``details.message_mn`` / ``message_en`` carry both texts.
"""

from __future__ import annotations

from typing import Any

from esis_shared.errors import error_body
from esis_shared.web.i18n import request_language
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from hr.domain.errors import HrError

STATUS = {"invalid": 422, "not_found": 404, "conflict": 409, "forbidden": 403}


def body_of(exc: HrError, lang: str) -> dict[str, Any]:
    details = {k: v for k, v in exc.details.items() if k not in ("fields", "fields_en")}
    details.update(message_mn=exc.message_mn, message_en=exc.message_en)
    fields = exc.details.get("fields_en" if lang == "en" else "fields")
    if fields is None and exc.field:
        fields = [{"field": exc.field, "message": exc.message(lang)}]
    if fields:
        details["fields"] = fields
    return error_body(exc.code, exc.message(lang), details)


def install(app: FastAPI) -> None:
    @app.exception_handler(HrError)
    async def _hr_error(request: Request, exc: HrError) -> JSONResponse:
        return JSONResponse(body_of(exc, request_language(request)), status_code=STATUS.get(exc.kind, 400))
