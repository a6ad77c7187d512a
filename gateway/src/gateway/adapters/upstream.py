"""The one pooled HTTP client to the services: forwarding, health probes and OpenAPI fetches."""

from __future__ import annotations

import asyncio
import functools
import itertools
import time
from collections.abc import AsyncIterable, Mapping, Sequence
from dataclasses import dataclass
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any

import httpx
from opentelemetry import propagate, trace
from opentelemetry.sdk.trace.id_generator import RandomIdGenerator

from gateway.adapters.metrics import UPSTREAM_LATENCY, UPSTREAM_RESPONSES
from gateway.domain.errors import ServiceUnavailable, UpstreamTimeout
from gateway.domain.health import ServiceHealth

tracer = trace.get_tracer("gateway.upstream")
# httpx adds these to every request unless told otherwise; a proxy must not invent them (Accept-Encoding
# would make upstreams compress answers for clients that never asked for it).
CLIENT_DEFAULT_HEADERS = ("accept", "accept-encoding", "connection", "user-agent")
URL_CACHE_SIZE = 4096  # distinct upstream URLs kept parsed (portal reads repeat the same few paths)
_span_ids = RandomIdGenerator()


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


class NoCookies(httpx.Cookies):
    """The shared client's cookies: always none. Reading each answer's Set-Cookie into a jar that keeps nothing
    (httpx does it for every response) cost about a tenth of a forwarded request's CPU time for no effect."""

    def __init__(self) -> None:
        super().__init__(_no_cookie_jar())

    def extract_cookies(self, response: httpx.Response) -> None:
        return None


class SharedClient(httpx.AsyncClient):
    """``httpx.AsyncClient`` whose cookies are always ``NoCookies`` (nothing set on it is kept)."""

    @property  # type: ignore[override]
    def cookies(self) -> httpx.Cookies:
        return _NO_COOKIES

    @cookies.setter
    def cookies(self, cookies: Any) -> None:
        pass


_NO_COOKIES = NoCookies()


def make_client(timeouts: Timeouts, *, max_connections: int = 200, max_keepalive: int = 50,
                transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    """The shared client: pooled keep-alive connections, no proxy from the environment, no redirects, no
    cookies kept."""
    limits = httpx.Limits(max_connections=max_connections, max_keepalive_connections=max_keepalive)
    client = SharedClient(timeout=timeouts.httpx(), limits=limits, transport=transport, trust_env=False,
                          follow_redirects=False)
    for name in CLIENT_DEFAULT_HEADERS:
        client.headers.pop(name, None)
    return client


class Upstreams:
    """Forwarding over ``client`` and the extra ``lanes`` in turn (see ``Settings.upstream_lanes``)."""

    def __init__(self, urls: Mapping[str, str], client: httpx.AsyncClient, *, health_timeout: float = 1.0,
                 openapi_timeout: float = 3.0, lanes: Sequence[httpx.AsyncClient] = (), spans: bool = True) -> None:
        self.urls = {name: url.rstrip("/") for name, url in urls.items()}
        self._bases = {name: httpx.URL(url) for name, url in self.urls.items()}  # parsed once, not per request
        self.client = client
        # Each lane with its timeouts as httpx puts them on a request (the requests are built here, see send).
        self._lanes = itertools.cycle([(each, {"timeout": each.timeout.as_dict()}) for each in (client, *lanes)])
        self.health_timeout = health_timeout
        self.openapi_timeout = openapi_timeout
        self.spans = spans
        self._forward_url = functools.lru_cache(maxsize=URL_CACHE_SIZE)(self._url)

    async def send(self, service: str, request: OutgoingRequest) -> httpx.Response:
        """Send and return once the headers are in; the caller streams the body and closes the response.

        The request is built directly rather than with ``client.build_request``: the shared clients carry no
        default headers, base URL, parameters or cookies to merge. A client span is built only when spans are
        exported (``spans``); otherwise the upstream gets the same trace context such a span would give it."""
        url = self._forward_url(service, request.raw_path, request.query)
        if not self.spans:
            return await self._forward(service, request, url, _trace_headers())
        with tracer.start_as_current_span(f"{request.method} {service}", kind=trace.SpanKind.CLIENT) as span:
            carrier: dict[str, str] = {}
            propagate.inject(carrier)
            response = await self._forward(service, request, url, list(carrier.items()))
            span.set_attribute("http.response.status_code", response.status_code)
            return response

    async def _forward(self, service: str, request: OutgoingRequest, url: httpx.URL,
                       trace_headers: list[tuple[str, str]]) -> httpx.Response:
        client, extensions = next(self._lanes)
        outgoing = httpx.Request(request.method, url, headers=[*request.headers, *trace_headers],
                                 content=request.body, extensions=extensions)
        return await self._timed(client, service, request.method, outgoing)

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
        return self._bases[service].copy_with(raw_path=target)

    async def _timed(self, client: httpx.AsyncClient, service: str, method: str,
                     request: httpx.Request) -> httpx.Response:
        started = time.perf_counter()
        try:
            response = await client.send(request, stream=True)
        except httpx.TimeoutException as exc:
            _responses(service, "timeout").inc()
            raise UpstreamTimeout(service, _reason(exc)) from exc
        except httpx.TransportError as exc:
            _responses(service, "unavailable").inc()
            raise ServiceUnavailable(service, _reason(exc)) from exc
        _latency(service, method).observe(time.perf_counter() - started)
        _responses(service, str(response.status_code)).inc()
        return response


def _reason(exc: httpx.HTTPError) -> str:
    return type(exc).__name__


def _trace_headers() -> list[tuple[str, str]]:
    """``traceparent``/``tracestate`` of a child of the current span, without building a span (nothing would
    export it): the upstream continues the caller's trace under a span id of its own, as with a client span."""
    parent = trace.get_current_span().get_span_context()
    carrier: dict[str, str] = {}
    if parent.is_valid:
        child = trace.SpanContext(parent.trace_id, _span_ids.generate_span_id(), is_remote=False,
                                  trace_flags=parent.trace_flags, trace_state=parent.trace_state)
        propagate.inject(carrier, context=trace.set_span_in_context(trace.NonRecordingSpan(child)))
    else:
        propagate.inject(carrier)
    return list(carrier.items())


# The metric children of each label set, looked up once (``labels()`` validates and locks on every call).
@functools.lru_cache(maxsize=1024)
def _latency(service: str, method: str) -> Any:
    return UPSTREAM_LATENCY.labels(service, method)


@functools.lru_cache(maxsize=4096)
def _responses(service: str, status: str) -> Any:
    return UPSTREAM_RESPONSES.labels(service, status)
