"""Domain errors → the platform's JSON error shape, once for every route.

``message`` is English; ``details.message_mn`` carries the Mongolian text for pages and clients that show it.
A rule that refuses a well-formed request (non-school day, learner not enrolled, grades final) is 422 like a
validation error; a clash with existing state (already marked, concurrent change) is 409.
"""

from __future__ import annotations

from esis_shared.errors import error_body
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from teacher.domain.errors import TeacherError

STATUS = {"invalid": 422, "refused": 422, "forbidden": 403, "not_found": 404, "conflict": 409}


def status_of(exc: TeacherError) -> int:
    return STATUS.get(exc.kind, 400)


def response_for(exc: TeacherError) -> JSONResponse:
    details = {**exc.details, "message_mn": exc.message_mn}
    return JSONResponse(error_body(exc.code, exc.message, details), status_code=status_of(exc))


def install(app: FastAPI) -> None:
    @app.exception_handler(TeacherError)
    async def _teacher_error(_: Request, exc: TeacherError) -> JSONResponse:
        return response_for(exc)
