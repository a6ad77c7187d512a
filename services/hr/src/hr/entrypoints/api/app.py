"""hr's FastAPI application."""

from __future__ import annotations

from esis_shared.api import create_app
from esis_shared.auth import CachedVerifier
from esis_shared.db import ping
from fastapi import FastAPI

from hr.bootstrap import Container
from hr.entrypoints.api import assignments, bulk, directory, employment, errors, imports, pages, positions, staff

DESCRIPTION = ("Staff registry of schools and kindergartens: positions, effective-dated employment history "
               "(hires, moves, transfers, leave, exits), qualifications, teaching assignments with workloads and "
               "gaps, vacancies. Reads of personal data are audited.")


def build_app(container: Container) -> FastAPI:
    app = create_app(container.settings, title="hr", description=DESCRIPTION,
                     routers=[staff.router, employment.router, positions.router, assignments.router,
                              directory.router, imports.router, bulk.router],
                     readiness={"database": lambda: ping(container.engine)})
    errors.install(app)
    app.state.container = container
    app.state.token_verifier = CachedVerifier(container.verifier)  # a client's repeated calls skip the RS256 check
    pages.register_pages(app)
    return app
