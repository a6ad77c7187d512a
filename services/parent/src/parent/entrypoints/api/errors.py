"""Domain errors → the platform's JSON error shape (API) or the shared error page (pages), once for every route.

``message`` is English; ``details.message_mn`` carries the Mongolian text.
"""

from __future__ import annotations

from esis_shared.errors import error_body
from esis_shared.web import render
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from parent.domain.errors import ParentError

STATUS = {"not_found": 404, "forbidden": 403, "invalid": 422, "conflict": 409, "throttled": 429,
          "unavailable": 503}


def status_of(exc: ParentError) -> int:
    return STATUS.get(exc.kind, 400)


def headers_of(exc: ParentError) -> dict[str, str]:
    retry = exc.details.get("retry_after_s")
    return {"Retry-After": str(retry)} if retry else {}


def install(app: FastAPI) -> None:
    @app.exception_handler(ParentError)
    async def _domain(request: Request, exc: ParentError) -> Response:
        if request.url.path.startswith("/parent/") and getattr(request.app.state, "web", None) is not None:
            return render(request, "error.html", {"kind": str(status_of(exc))}, status_code=status_of(exc))
        details = {**exc.details, "message_mn": exc.message_mn}
        return JSONResponse(error_body(exc.code, exc.message, details), status_code=status_of(exc),
                            headers=headers_of(exc))
