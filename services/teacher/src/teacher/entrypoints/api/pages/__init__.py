"""The teacher portal's web pages (esis_shared.web): Mongolian by default, English with ``?lang=en``,
mobile-first and working without JavaScript.

``install(app)`` adds the routes of every page module, the templates, catalogues, static files, the language
cookie and the CSRF check. Pages call the same commands and views as the JSON API.
"""

from __future__ import annotations

from fastapi import FastAPI

from teacher.entrypoints.api.pages import attendance, common, feedback, grades, journal


def install(app: FastAPI) -> None:
    """Add the pages and the shared web layer (after ``create_app``, with ``app.state.container`` set)."""
    for module in (attendance, grades, journal, feedback):
        app.include_router(module.router)
    common.setup(app)
