"""stats' FastAPI application: JSON API, open data, reports and the dashboards."""

from __future__ import annotations

from esis_shared.api import create_app
from esis_shared.auth import CachedVerifier
from esis_shared.db import ping
from fastapi import FastAPI

from stats.bootstrap import Container
from stats.entrypoints.api import approvals, errors, indicators, open_data, pages, population, reports

DESCRIPTION = ("Aggregates and UNESCO UIS indicators computed from the platform's events, with lineage; "
               "approval of reported figures; reports (CSV, XLSX, PDF); public open data with small-cell "
               "suppression; dashboards.")


def build_app(container: Container) -> FastAPI:
    app = create_app(container.settings, title="stats", description=DESCRIPTION,
                     routers=[indicators.router, approvals.router, population.router, reports.router,
                              open_data.router],
                     readiness={"database": lambda: ping(container.engine)})
    errors.install(app)
    app.state.container = container
    app.state.token_verifier = CachedVerifier(container.verifier)  # a client's repeated calls skip the RS256 check
    pages.install(app)
    return app
