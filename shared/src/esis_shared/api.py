"""FastAPI app factory: one error format, request ids, health, readiness, metrics and tracing."""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from esis_shared.config import ServiceSettings
from esis_shared.errors import ApiError, error_body
from esis_shared.logging import request_id_var
from esis_shared.metrics import HTTP_LATENCY
from esis_shared.tracing import TraceContextMiddleware, configure_tracing

log = logging.getLogger(__name__)
ReadinessCheck = Callable[[], bool]
_STATUS_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
                 405: "method_not_allowed", 409: "conflict", 413: "too_large", 429: "rate_limited"}


class RequestContextMiddleware:
    """Pure ASGI: assigns/propagates ``X-Request-ID`` and records latency per route template."""

    def __init__(self, app: ASGIApp, service: str) -> None:
        self.app = app
        self.service = service

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = dict(scope["headers"]).get(b"x-request-id", b"").decode("latin-1")
        request_id = incoming[:64] if incoming else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                message.setdefault("headers", [])
                message["headers"] = [*message["headers"], (b"x-request-id", request_id.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            route = scope.get("route")
            template = getattr(route, "path", "unmatched")
            HTTP_LATENCY.labels(self.service, scope["method"], template, str(status)).observe(
                time.perf_counter() - started)
            request_id_var.reset(token)


def _validation_details(exc: RequestValidationError) -> dict[str, Any]:
    fields = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "header")]
        fields.append({"field": ".".join(loc) or "body", "message": err.get("msg", "invalid")})
    return {"fields": fields}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(_: Request, exc: ApiError) -> JSONResponse:
        return JSONResponse(exc.body(), status_code=exc.status_code, headers=getattr(exc, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        details = _validation_details(exc)
        names = ", ".join(f["field"] for f in details["fields"])
        return JSONResponse(error_body("validation_error", f"Invalid input: {names}", details), status_code=422)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _STATUS_CODES.get(exc.status_code, "http_error")
        return JSONResponse(error_body(code, str(exc.detail)), status_code=exc.status_code,
                            headers=getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error", exc_info=exc)
        return JSONResponse(error_body("internal_error", "Internal server error"), status_code=500)


def install_probes(app: FastAPI, service: str, checks: dict[str, ReadinessCheck]) -> None:
    @app.get("/healthz", include_in_schema=False)
    def healthz() -> dict[str, str]:
        return {"status": "up", "service": service}

    @app.get("/readyz", include_in_schema=False)
    def readyz() -> JSONResponse:
        results = {name: _run_check(check) for name, check in checks.items()}
        ready = all(results.values())
        body = {"status": "up" if ready else "down", "service": service,
                "checks": {k: "up" if v else "down" for k, v in results.items()}}
        return JSONResponse(body, status_code=200 if ready else 503)

    @app.get("/metrics", include_in_schema=False)
    def metrics() -> Response:
        return Response(generate_latest(), media_type=CONTENT_TYPE_LATEST)


def _run_check(check: ReadinessCheck) -> bool:
    try:
        return bool(check())
    except Exception:  # a failing dependency makes the service not ready, not broken
        log.warning("readiness check failed", exc_info=True)
        return False


def create_app(settings: ServiceSettings, *, title: str, routers: Iterable[Any] = (),
               readiness: dict[str, ReadinessCheck] | None = None, version: str = "1.0.0",
               description: str = "") -> FastAPI:
    """Build a service's FastAPI app with the platform's cross-cutting behaviour."""
    configure_tracing(settings.service_name, settings.tracing_exporter)
    # Interactive docs live on the gateway only (served from local assets, never a CDN).
    exporting = settings.tracing_exporter != "none"
    # Without an exporter, FastAPI's own telemetry would still build spans and metrics for every request.
    app = FastAPI(title=title, version=version, description=description, docs_url=None, redoc_url=None,
                  telemetry=None if exporting else {"tracing": False, "metrics": False, "logs": False})
    install_error_handlers(app)
    install_probes(app, settings.service_name, readiness or {})
    for router in routers:
        app.include_router(router)
    if not exporting:
        app.add_middleware(TraceContextMiddleware)  # propagate the trace; build no spans nobody would export
    else:
        # One server span per request: the per-message "http send"/"receive" spans cost more than they tell.
        FastAPIInstrumentor.instrument_app(app, excluded_urls="healthz,readyz,metrics",
                                           exclude_spans=["receive", "send"])
    app.add_middleware(RequestContextMiddleware, service=settings.service_name)
    return app
