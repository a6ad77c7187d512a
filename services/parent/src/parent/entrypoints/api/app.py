"""parent's FastAPI application: the JSON API, then the pages."""

from __future__ import annotations

from esis_shared.api import create_app
from esis_shared.auth import CachedVerifier
from esis_shared.db import ping
from fastapi import FastAPI

from parent.bootstrap import Container
from parent.entrypoints.api import children, errors, messages, pages, settings

DESCRIPTION = ("The parent portal: a guardian claims their child (checked by the education service) and then sees "
               "the child's attendance, marks, grades, homework, timetable, teachers, growth and who read the "
               "record; messages and consultations with teachers; notification preferences and receipts.")


def build_app(container: Container, *, with_pages: bool = True) -> FastAPI:
    app = create_app(container.settings, title="parent", description=DESCRIPTION,
                     routers=[children.router, messages.router, settings.router],
                     readiness={"database": lambda: ping(container.engine)})
    errors.install(app)
    app.state.container = container
    app.state.token_verifier = CachedVerifier(container.verifier)  # a client's repeated calls skip the RS256 check
    if with_pages:
        pages.install(app)
    return app
