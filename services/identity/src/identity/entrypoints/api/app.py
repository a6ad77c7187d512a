"""identity's FastAPI application."""

from __future__ import annotations

import importlib
import logging

from esis_shared.api import create_app
from esis_shared.auth import CachedVerifier
from esis_shared.db import ping
from fastapi import FastAPI

from identity.bootstrap import Container
from identity.entrypoints.api import accounts, auth, errors, signup

log = logging.getLogger(__name__)
PAGES_MODULE = "identity.entrypoints.api.pages"
DESCRIPTION = ("Accounts, roles and scopes; sign-in with short-lived RS256 access tokens and rotating refresh "
               "tokens; the JWKS every service verifies tokens with.")


def install_pages(app: FastAPI) -> None:
    """The login page (``entrypoints/api/pages.py``, built on esis_shared.web) when it is present.

    The module either offers ``install(app)`` (for ``setup_web`` and its routes) or just a ``router``; it finds
    the container at ``request.app.state.container``.
    """
    try:
        pages = importlib.import_module(PAGES_MODULE)
    except ModuleNotFoundError as exc:
        if exc.name != PAGES_MODULE:
            raise
        log.info("no login page module (%s); serving the JSON API only", PAGES_MODULE)
        return
    if hasattr(pages, "install"):
        pages.install(app)
    elif hasattr(pages, "router"):
        app.include_router(pages.router)


def build_app(container: Container) -> FastAPI:
    app = create_app(container.settings, title="identity", description=DESCRIPTION,
                     routers=[auth.router, signup.router, accounts.router],
                     readiness={"database": lambda: ping(container.engine)})
    errors.install(app)
    app.state.container = container
    # Clients repeat their token on every call: verify each token's RS256 signature once, not per request.
    app.state.token_verifier = CachedVerifier(container.verifier, clock=lambda: container.deps.clock().timestamp())
    install_pages(app)
    return app
