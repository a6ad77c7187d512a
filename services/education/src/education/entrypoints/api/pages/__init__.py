"""education's web pages for the school office (esis_shared.web): classes, rosters, learner records with their
history and access log, the admission and transfer desks, the timetable editor and class-list imports.
Mongolian by default, English with ``?lang=en``."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from esis_shared.web import render, setup_web
from fastapi import FastAPI, Request
from fastapi.responses import Response

from education.domain.errors import DomainError
from education.entrypoints.api.errors import STATUS
from education.entrypoints.api.pages import admissions, classes, imports, timetable, transfers
from education.service_layer.clock import MONGOLIA

PACKAGE_DIR = Path(__file__).resolve().parents[3]


def register_pages(app: FastAPI) -> None:
    """The pages and the shared web layer (after ``create_app``, with ``app.state.container`` set)."""
    for module in (classes, timetable, admissions, transfers, imports):
        app.include_router(module.router)
    web = setup_web(app, service="education", templates_dir=PACKAGE_DIR / "templates",
                    locale_dir=PACKAGE_DIR / "locale", settings=app.state.container.settings,
                    context={"home_url": "/education/"})
    web.env.filters["local_time"] = local_time
    _domain_errors_as_pages(app)


def local_time(at: datetime) -> str:
    """An instant as people in Mongolia read it (Ulaanbaatar time, UTC+8)."""
    return at.astimezone(MONGOLIA).strftime("%Y-%m-%d %H:%M")


def _domain_errors_as_pages(app: FastAPI) -> None:
    """A refusal on a page shows the "No access" / "Not found" page; the API keeps its JSON error."""
    json_handler = app.exception_handlers[DomainError]

    async def handler(request: Request, exc: Exception) -> Response:
        assert isinstance(exc, DomainError)
        if not request.url.path.startswith("/education/"):
            return await json_handler(request, exc)
        status = STATUS.get(exc.kind, 400)
        return render(request, "error.html", {"kind": str(status)}, status_code=status)

    app.add_exception_handler(DomainError, handler)
