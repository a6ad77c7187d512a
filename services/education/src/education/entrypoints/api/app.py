"""education's FastAPI application."""

from __future__ import annotations

from esis_shared.api import create_app
from fastapi import FastAPI

from education.bootstrap import Container
from education.entrypoints.api import (
    admissions,
    bulk,
    classes,
    curriculum,
    errors,
    imports,
    learners,
    org,
    pages,
    transfers,
)

DESCRIPTION = ("The system of record for who learns where: the effective-dated organisation hierarchy, school "
               "years, subjects, classes and timetables, learners and guardians, admission, enrolment, transfers "
               "and withdrawals. Every staff read of a learner is written to the learner's access log.")


def build_app(container: Container) -> FastAPI:
    app = create_app(container.settings, title="education", description=DESCRIPTION,
                     routers=[org.router, curriculum.router, classes.router, learners.router, admissions.router,
                              transfers.router, imports.router, bulk.router],
                     readiness={"database": container.ready})
    errors.install(app)
    app.state.container = container
    pages.register_pages(app)
    return app
