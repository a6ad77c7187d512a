"""The one pooled HTTP client to the services: forwarding, health probes and OpenAPI fetches."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import AsyncIterable, Mapping, Sequence
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx
from opentelemetry import propagate, trace

from gateway.adapters.metrics import UPSTREAM_LATENCY, UPSTREAM_RESPONSES
from gateway.domain.errors import ServiceUnavailable, UpstreamTimeout
from gateway.domain.health import ServiceHealth

tracer = trace.get_tracer("gateway.upstream")
# httpx adds these to every request unless told otherwise; a proxy must not invent them (Accept-Encoding
# would make upstreams compress answers for clients that never asked for it).
CLIENT_DEFAULT_HEADERS = ("accept", "accept-encoding", "connection", "user-agent")


@dataclass(frozen=True)
class OutgoingRequest:
    method: str
    raw_path: bytes
    query: bytes
    headers: list[tuple[str, str]]
    body: AsyncIterable[bytes] | None = None


@dataclass(frozen=True)
class Timeouts:
    connect: float = 2.0
    read: float = 30.0
    write: float = 30.0
    pool: float = 5.0

    def httpx(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)


def _no_cookie_jar() -> CookieJar:
    """A jar that keeps nothing: the client is shared by every caller, so a cookie a service sets for one
    caller (a session) must never be sent with another caller's request. Set-Cookie still reaches the caller."""
    return CookieJar(policy=DefaultCookiePolicy(allowed_domains=[]))  # httpx uses a given jar as it is


def make_client(timeouts: Timeouts, *, max_connections: int = 200, max_keepalive: int = 50,
                transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """The shared client: pooled keep-alive connections, no proxy from the environment, no redirects."""
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_keepalive)
    client = httpx.AsyncClient(timeout=timeouts.httpx(), limits=limits, transport=transport, trust_env=False,
                               follow_redirects=False, cookies=_no_cookie_jar())
    for name in CLIENT_DEFAULT_HEADERS:
        client.headers.pop(name, None)
    return client


class Upstreams:
    """Forwarding over ``client`` and the extra ``lanes`` in turn (see ``Settings.upstream_lanes``)."""

    def __init__(self, urls: Mapping[str, str], client: httpx.AsyncClient, *, health_timeout: float = 1.0,
                 openapi_timeout: float = 3.0, lanes: Sequence[httpx.AsyncClient] = ()) -> None:
        self.urls = {name: url.rstrip("/") for name, url in urls.items()}
        self.client = client
        self._lanes = itertools.cycle([client, *lanes])
        self.health_timeout = health_timeout
        self.openapi_timeout = openapi_timeout

    async def send(self, service: str, request: OutgoingRequest) -> httpx.Response:
        """Send and return once the headers are in; the caller streams the body and closes the response."""
        with tracer.start_as_current_span(f"{request.method} {service}", kind=trace.SpanKind.CLIENT) as span:
            carrier: dict[str, str] = {}
            propagate.inject(carrier)
            client = next(self._lanes)
            outgoing = client.build_request(request.method, self._url(service, request.raw_path, request.query),
                                            headers=[*request.headers, *carrier.items()], content=request.body)
            response = await self._timed(client, service, request.method, outgoing)
            span.set_attribute("http.response.status_code", response.status_code)
            return response

    async def health(self, service: str) -> ServiceHealth:
        started = time.perf_counter()
        try:
            response = await self.client.get(self._url(service, b"/healthz"), timeout=self.health_timeout)
        except httpx.HTTPError as exc:
            return ServiceHealth("down", error=_reason(exc))
        latency = round((time.perf_counter() - started) * 1000, 1)
        if response.status_code != 200:
            return ServiceHealth("down", latency, f"HTTP {response.status_code}")
        return ServiceHealth("up", latency)

    async def health_all(self) -> dict[str, ServiceHealth]:
        names = sorted(self.urls)
        results = await asyncio.gather(*(self.health(name) for name in names))
        return dict(zip(names, results, strict=True))

    async def openapi(self, service: str) -> dict[str, Any]:
        """The service's OpenAPI document; raises ``httpx.HTTPError`` or ``ValueError`` when unavailable."""
        response = await self.client.get(self._url(service, b"/openapi.json"), timeout=self.openapi_timeout)
        response.raise_for_status()
        doc = response.json()
        if not isinstance(doc, dict):
            raise ValueError(f"{service}: /openapi.json is not a JSON object")
        return doc

    def _url(self, service: str, raw_path: bytes, query: bytes = b"") -> httpx.URL:
        target = raw_path + (b"?" + query if query else b"")
        return httpx.URL(self.urls[service]).copy_with(raw_path=target)

    async def _timed(self, client: httpx.AsyncClient, service: str, method: str,
                     request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        try:
            response = await client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            UPSTREAM_RESPONSES.labels(service, "timeout").inc()
            raise UpstreamTimeout(service, _reason(exc)) from exc
        except httpx.TransportError as exc:
            UPSTREAM_RESPONSES.labels(service, "unavailable").inc()
            raise ServiceUnavailable(service, _reason(exc)) from exc
        UPSTREAM_LATENCY.labels(service, method).observe(time.perf_counter() - started)
        UPSTREAM_RESPONSES.labels(service, str(response.status_code)).inc()
        return response


def _reason(exc: httpx.HTTPError) -> str:
    return type(exc).__name__
