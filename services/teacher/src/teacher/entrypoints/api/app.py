"""The teacher portal's FastAPI application: JSON API under /api/teacher/v1, pages under /teacher/."""

from __future__ import annotations

import importlib
import logging

from esis_shared.api import create_app
from esis_shared.auth import CachedVerifier
from esis_shared.db import ping
from fastapi import FastAPI

from teacher.bootstrap import Container
from teacher.entrypoints.api import attendance, errors, feedback, grades, journal

log = logging.getLogger(__name__)
PAGES_MODULE = "teacher.entrypoints.api.pages"
DESCRIPTION = ("The e-journal: daily and per-lesson attendance, marks, term and annual grades with approval, "
               "homework and the lesson log, kindergarten growth and development, and teacher feedback to the "
               "ministry.")


def install_pages(app: FastAPI) -> None:
    """The web pages (``entrypoints/api/pages.py``, built on esis_shared.web) when the module is present."""
    try:
        pages = importlib.import_module(PAGES_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != PAGES_MODULE:
            raise
        log.info("no pages module (%s); serving the JSON API only", PAGES_MODULE)
        return
    pages.install(app)


def build_app(container: Container) -> FastAPI:
    app = create_app(container.settings, title="teacher", description=DESCRIPTION,
                     routers=[attendance.router, grades.router, journal.router, feedback.router],
                     readiness={"database": lambda: ping(container.engine)})
    errors.install(app)
    app.state.container = container
    app.state.token_verifier = CachedVerifier(container.verifier)  # a client's repeated calls skip the RS256 check
    install_pages(app)
    return app
