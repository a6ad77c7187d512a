"""The catch-all route: admit (token, rate limit, coarse role rule), then stream to the service and back."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import httpx
from esis_shared.auth import Principal, bearer_token, not_authenticated
from esis_shared.errors import ApiError, Forbidden
from esis_shared.logging import request_id_var
from fastapi import Request
from fastapi.responses import Response, StreamingResponse
from starlette.background import BackgroundTask
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from gateway.adapters.metrics import REJECTED
from gateway.adapters.upstream import OutgoingRequest
from gateway.domain.errors import RateLimited, ServiceUnavailable, UpstreamTimeout
from gateway.domain.forwarding import ForwardContext, client_address, request_headers, response_headers
from gateway.domain.routes import Target
from gateway.entrypoints.api import gateway_of

log = logging.getLogger(__name__)
METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
BUFFER_LIMIT = 64 * 1024  # upstream bodies up to this size (with a Content-Length) are answered in one piece
async def proxy(request: Request) -> Response:
    gateway = gateway_of(request)
    upstreams, _ = gateway.running()
    target = _target(request)
    await _admit(request, target)
    upstream = await upstreams.send(target.service, _outgoing(request, target))
    if _is_small(upstream):
        response: Response = Response(await _read_all(upstream, target.service), status_code=upstream.status_code)
    else:
        response = StreamingResponse(_relay(upstream, target.service), status_code=upstream.status_code,
                                     background=BackgroundTask(upstream.aclose))
    response.raw_headers = response_headers(upstream.headers.raw)
    return response


class ProxyRoute(Route):
    """A plain Starlette route: the endpoint takes the request as it is, so FastAPI's dependency solving,
    validation and response serialisation would be per-request work for nothing. Errors still go through the
    app's handlers; the route is named in the scope as FastAPI does for its own, so metrics keep its template."""

    async def handle(self, scope: Scope, receive: Receive, send: Send) -> None:
        scope["route"] = self
        await super().handle(scope, receive, send)


# Added to the app's own routes, last (FastAPI's include_router would copy it into a plain Route).
route = ProxyRoute("/{path:path}", proxy, methods=METHODS, include_in_schema=False)


def _is_small(upstream: httpx.Response) -> bool:
    """A body of known length up to ``BUFFER_LIMIT``: read it whole and answer in one go.

    Streaming costs a task group (disconnect listener) and a background task per response, which for the small
    JSON answers that make up most traffic costs more than the forwarding itself; large or chunked bodies still
    stream, so the gateway never holds them in memory.
    """
    length = upstream.headers.get("content-length")
    return (length is not None and length.isdigit() and int(length) <= BUFFER_LIMIT
            and "transfer-encoding" not in upstream.headers)


async def _read_all(upstream: httpx.Response, service: str) -> bytes:
    """The raw (still encoded) body; nothing was sent to the client yet, so a failure is a clean 502/504."""
    try:
        return b"".join([chunk async for chunk in upstream.aiter_raw()])
    except httpx.TimeoutException as exc:
        raise UpstreamTimeout(service, type(exc).__name__) from exc
    except httpx.HTTPError as exc:
        log.warning("%s stopped in the middle of a response: %s", service, type(exc).__name__)
        raise ServiceUnavailable(service, type(exc).__name__) from exc
    finally:
        await upstream.aclose()


async def _admit(request: Request, target: Target) -> None:
    """Raise 401 / 403 / 429 unless the request may go on; web pages and public paths need no token."""
    gateway = gateway_of(request)
    path = request.scope["path"]
    principal, failure = await _identify(request)
    _rate_limit(request, principal)
    if not gateway.routes.needs_token(target, path):
        return
    if principal is None:
        REJECTED.labels("unauthorized").inc()
        raise failure or not_authenticated()
    if not gateway.access.allows(principal.role, request.method, path):
        REJECTED.labels("forbidden").inc()
        raise Forbidden(f"The role {principal.role!r} may not use {path}", details={"role": principal.role})


async def _identify(request: Request) -> tuple[Principal | None, ApiError | None]:
    try:
        token = bearer_token(request)
        if token is None:
            return None, None
        return await gateway_of(request).auth.authenticate(token), None
    except ApiError as exc:
        return None, exc


def _rate_limit(request: Request, principal: Principal | None) -> None:
    gateway = gateway_of(request)
    decision = gateway.limiter.check(_client_key(request, principal))
    if not decision.allowed:
        REJECTED.labels("rate_limited").inc()
        raise RateLimited(decision.retry_after)


def _client_key(request: Request, principal: Principal | None) -> str:
    if principal is not None:
        return f"sub:{principal.subject}"
    peer = request.client.host if request.client else None
    trusted = gateway_of(request).settings.trusted_proxies
    return f"ip:{client_address(peer, request.headers.get('x-forwarded-for'), trusted)}"


def _outgoing(request: Request, target: Target) -> OutgoingRequest:
    settings = gateway_of(request).settings
    ctx = ForwardContext(peer=request.client.host if request.client else None, scheme=request.url.scheme,
                         request_id=request_id_var.get(), trusted_proxies=settings.trusted_proxies,
                         preserve_host=settings.preserve_host)
    return OutgoingRequest(method=request.method, raw_path=_raw_path(request, target),
                           query=request.scope.get("query_string", b""),
                           headers=request_headers(request.headers.raw, ctx), body=_body(request))


def _raw_path(request: Request, target: Target) -> bytes:
    """The path as the client encoded it (unless aliased); some ASGI servers append the query, so cut it."""
    raw = request.scope.get("raw_path") if target.path == request.scope["path"] else None
    return raw.split(b"?", 1)[0] if raw else target.path.encode()


def _body(request: Request) -> AsyncIterator[bytes] | None:
    headers = request.headers
    has_body = headers.get("content-length", "0") != "0" or "transfer-encoding" in headers
    return request.stream() if has_body else None


async def _relay(upstream: httpx.Response, service: str) -> AsyncIterator[bytes]:
    try:
        async for chunk in upstream.aiter_raw():
            yield chunk
    except httpx.HTTPError as exc:
        # Headers are already sent: end the connection abruptly so the client sees a broken body, not a short one.
        log.warning("%s stopped in the middle of a response: %s", service, type(exc).__name__)
        raise
    finally:
        await upstream.aclose()


def _target(request: Request) -> Target:
    try:
        return gateway_of(request).routes.resolve(request.scope["path"])
    except ApiError:
        REJECTED.labels("unknown_path").inc()
        raise
