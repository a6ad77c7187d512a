"""Composition root: settings -> route table, role rules, rate limiter, token checks, upstream client, app."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import httpx
from esis_shared.api import create_app
from esis_shared.auth import JwksVerifier, TokenVerifier
from fastapi import FastAPI

from gateway.adapters.catalog import DocInfo, OpenApiCatalog
from gateway.adapters.tokens import TokenAuthenticator
from gateway.adapters.upstream import Timeouts, Upstreams, make_client
from gateway.config import Settings
from gateway.domain.access import AccessPolicy
from gateway.domain.ratelimit import RateLimiter
from gateway.domain.routes import RouteTable
from gateway.entrypoints.api import docs, health, proxy

# Paths of the shared app factory that the gateway answers differently (aggregated health, merged OpenAPI).
REPLACED_PATHS = frozenset({"/healthz", "/openapi.json"})


class InsecureConfiguration(RuntimeError):
    """The production profile was asked to run with development settings."""


@dataclass
class Gateway:
    """Everything a request handler needs; the upstream parts exist while the app is running (lifespan)."""

    settings: Settings
    routes: RouteTable
    access: AccessPolicy
    limiter: RateLimiter
    auth: TokenAuthenticator
    transport: httpx.AsyncBaseTransport | None = None
    upstreams: Upstreams | None = field(default=None)
    catalog: OpenApiCatalog | None = field(default=None)

    def running(self) -> tuple[Upstreams, OpenApiCatalog]:
        if self.upstreams is None or self.catalog is None:
            raise RuntimeError("the gateway's upstream client is not running (lifespan not started)")
        return self.upstreams, self.catalog


def check_production(settings: Settings) -> None:
    problems = settings.production_problems()
    if problems:
        raise InsecureConfiguration("refusing to start in the production profile: " + "; ".join(problems))


def build_gateway(settings: Settings, *, verifier: TokenVerifier | None = None,
                  transport: httpx.AsyncBaseTransport | None = None,
                  clock: Callable[[], float] = time.monotonic) -> Gateway:
    check_production(settings)
    verifier = verifier or JwksVerifier.of(settings)
    return Gateway(
        settings=settings,
        routes=RouteTable(settings.service_urls, settings.public_prefixes, settings.path_aliases),
        access=AccessPolicy(settings.role_rules),
        limiter=RateLimiter(settings.rate_limit_per_second, settings.rate_limit_burst, clock=clock,
                            max_clients=settings.rate_limit_max_clients),
        auth=TokenAuthenticator(verifier, cache_seconds=settings.token_cache_seconds,
                                cache_size=settings.token_cache_size),
        transport=transport,
    )


def build_app(settings: Settings | None = None, *, verifier: TokenVerifier | None = None,
              transport: httpx.AsyncBaseTransport | None = None,
              clock: Callable[[], float] = time.monotonic) -> FastAPI:
    """The gateway app; ``verifier``, ``transport`` and ``clock`` are seams for tests."""
    settings = settings or Settings()
    gateway = build_gateway(settings, verifier=verifier, transport=transport, clock=clock)
    app = create_app(settings, title="open ESIS gateway",
                     readiness={"upstream_client": lambda: gateway.upstreams is not None})
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", None) not in REPLACED_PATHS]
    app.state.gateway = gateway
    app.router.lifespan_context = _lifespan
    for router in (health.router, docs.router):
        app.include_router(router)
    docs.mount_assets(app)
    app.router.routes.append(proxy.route)  # last: the catch-all
    return app


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    gateway: Gateway = app.state.gateway
    settings = gateway.settings
    timeouts = Timeouts(settings.connect_timeout, settings.read_timeout, settings.write_timeout, settings.pool_timeout)
    lanes = max(1, settings.upstream_lanes)
    clients = [make_client(timeouts, max_connections=-(-settings.max_connections // lanes),
                           max_keepalive=-(-settings.max_keepalive_connections // lanes), transport=gateway.transport)
               for _ in range(lanes)]
    client = clients[0]
    gateway.upstreams = Upstreams(settings.service_urls, client, health_timeout=settings.health_timeout,
                                  openapi_timeout=settings.openapi_timeout, lanes=clients[1:],
                                  spans=settings.tracing_exporter != "none")
    gateway.catalog = OpenApiCatalog(gateway.upstreams, ttl=settings.openapi_cache_seconds,
                                     public_prefixes=settings.public_prefixes, info=DocInfo())
    try:
        yield
    finally:
        gateway.upstreams = gateway.catalog = None
        for each in clients:
            await each.aclose()
