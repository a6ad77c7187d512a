"""Domain errors → the platform's JSON error shape, once for every route (``details.message_mn`` in Mongolian)."""

from __future__ import annotations

from esis_shared.errors import error_body
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from stats.domain import errors
from stats.service_layer.population import InvalidUpload

STATUS: dict[type[errors.StatsError], int] = {
    errors.NotPermitted: 403,
    errors.FigureLocked: 409,
    errors.BelowNotApproved: 409,
    errors.ApprovalError: 409,
    errors.MissingPopulation: 409,
    InvalidUpload: 422,
}


def status_of(exc: errors.StatsError) -> int:
    return next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 400)


def install(app: FastAPI) -> None:
    @app.exception_handler(errors.StatsError)
    async def _stats_error(_: Request, exc: errors.StatsError) -> JSONResponse:
        details = {**exc.details, "message_mn": exc.message_mn}
        return JSONResponse(error_body(exc.code, exc.message, details), status_code=status_of(exc))
