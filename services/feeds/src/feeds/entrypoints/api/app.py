"""feeds' FastAPI application: the per-aimag HTTP change feeds."""

from __future__ import annotations

from esis_shared.api import create_app
from esis_shared.auth import CachedVerifier
from esis_shared.db import ping
from fastapi import FastAPI

from feeds.bootstrap import Container
from feeds.entrypoints.api import changes

DESCRIPTION = ("Per-aimag event feeds: every domain event carrying an aimag header, republished unchanged to "
               "Kafka topic feeds.aimag.<code>.v1 and readable as an HTTP change feed (cursor, replay, snapshot).")


def build_app(container: Container) -> FastAPI:
    app = create_app(container.settings, title="feeds", description=DESCRIPTION, routers=[changes.router],
                     readiness={"database": lambda: ping(container.engine)})
    app.state.container = container
    app.state.token_verifier = CachedVerifier(container.verifier)  # a client's repeated calls skip the RS256 check
    return app
