"""gRPC server and client helpers: health, reflection, latency metrics and trace propagation.

Servers bind on loopback unless told otherwise; the channel helper injects ``traceparent`` and gives every
call a deadline, so a slow dependency cannot hold a caller's thread forever.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator, Sequence
from concurrent import futures
from contextlib import contextmanager
from typing import Any, NamedTuple

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc
from grpc_reflection.v1alpha import reflection
from opentelemetry import trace

from esis_shared.metrics import GRPC_LATENCY
from esis_shared.tracing import context_from_traceparent, current_traceparent

tracer = trace.get_tracer(__name__)
DEFAULT_TIMEOUT_S = 5.0


class ServerObservability(grpc.ServerInterceptor):
    """Records GRPC_LATENCY per method and status code; runs the call inside the caller's trace."""

    def __init__(self, service: str) -> None:
        self.service = service

    def intercept_service(self, continuation: Callable[[Any], Any], details: grpc.HandlerCallDetails) -> Any:
        handler = continuation(details)
        if handler is None:
            return None
        traceparent = dict(details.invocation_metadata or ()).get("traceparent")
        wrap_unary = _unary_wrapper(self._observed, details.method, traceparent)
        wrap_stream = _stream_wrapper(self._observed, details.method, traceparent)
        return handler._replace(**{
            name: (wrap_stream if name.endswith("stream") else wrap_unary)(getattr(handler, name))
            for name in ("unary_unary", "unary_stream", "stream_unary", "stream_stream")
            if getattr(handler, name) is not None})

    @contextmanager
    def _observed(self, method: str, traceparent: str | None, context: grpc.ServicerContext) -> Iterator[None]:
        started = time.perf_counter()
        code = grpc.StatusCode.OK
        with tracer.start_as_current_span(method.lstrip("/"), context=context_from_traceparent(traceparent),
                                          kind=trace.SpanKind.SERVER, attributes={"rpc.system": "grpc"}):
            try:
                yield
                code = context.code() or grpc.StatusCode.OK
            except BaseException:
                # context.abort() sets the code before raising; anything else is an unhandled error.
                code = context.code() or grpc.StatusCode.UNKNOWN
                raise
            finally:
                GRPC_LATENCY.labels(self.service, method, code.name).observe(time.perf_counter() - started)


def _unary_wrapper(observed: Any, method: str, traceparent: str | None) -> Callable[[Any], Any]:
    def wrap(behavior: Callable[[Any, grpc.ServicerContext], Any]) -> Callable[..., Any]:
        def call(request: Any, context: grpc.ServicerContext) -> Any:
            with observed(method, traceparent, context):
                return behavior(request, context)
        return call
    return wrap


def _stream_wrapper(observed: Any, method: str, traceparent: str | None) -> Callable[[Any], Any]:
    # A streaming response is a generator: time it until exhausted, not until it was created.
    def wrap(behavior: Callable[[Any, grpc.ServicerContext], Iterator[Any]]) -> Callable[..., Iterator[Any]]:
        def call(request: Any, context: grpc.ServicerContext) -> Iterator[Any]:
            with observed(method, traceparent, context):
                yield from behavior(request, context)
        return call
    return wrap


def create_grpc_server(port: int, *, service: str, register: Callable[[grpc.Server], None],
                       service_names: Sequence[str], max_workers: int = 16, host: str = "127.0.0.1",
                       interceptors: Sequence[grpc.ServerInterceptor] = ()) -> grpc.Server:
    """A server (not started) with the servicers ``register`` adds, health (SERVING) and reflection."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=max_workers, thread_name_prefix=f"{service}-grpc"),
                         interceptors=[ServerObservability(service), *interceptors],
                         # Bounded in-flight work: excess calls fail fast with RESOURCE_EXHAUSTED.
                         maximum_concurrent_rpcs=max_workers * 8)
    register(server)
    health_servicer = health.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(health_servicer, server)
    for name in ("", *service_names):
        health_servicer.set(name, health_pb2.HealthCheckResponse.SERVING)
    reflection.enable_server_reflection((*service_names, health.SERVICE_NAME, reflection.SERVICE_NAME), server)
    server.add_insecure_port(f"{host}:{port}")
    return server


class _CallDetails(NamedTuple):
    method: str
    timeout: float | None
    metadata: Sequence[tuple[str, str | bytes]] | None
    credentials: grpc.CallCredentials | None
    wait_for_ready: bool | None
    compression: grpc.Compression | None


class ClientPropagation(grpc.UnaryUnaryClientInterceptor, grpc.UnaryStreamClientInterceptor,
                        grpc.StreamUnaryClientInterceptor, grpc.StreamStreamClientInterceptor):
    """Adds ``traceparent`` of the current span and a default deadline to every outgoing call."""

    def __init__(self, default_timeout_s: float | None = DEFAULT_TIMEOUT_S) -> None:
        self.default_timeout_s = default_timeout_s

    def _details(self, details: grpc.ClientCallDetails) -> _CallDetails:
        metadata = list(details.metadata or ())
        traceparent = current_traceparent()
        if traceparent and not any(key == "traceparent" for key, _ in metadata):
            metadata.append(("traceparent", traceparent))
        timeout = details.timeout if details.timeout is not None else self.default_timeout_s
        return _CallDetails(details.method, timeout, metadata, details.credentials,
                            getattr(details, "wait_for_ready", None), getattr(details, "compression", None))

    def intercept_unary_unary(self, continuation: Any, details: grpc.ClientCallDetails, request: Any) -> Any:
        return continuation(self._details(details), request)

    def intercept_unary_stream(self, continuation: Any, details: grpc.ClientCallDetails, request: Any) -> Any:
        return continuation(self._details(details), request)

    def intercept_stream_unary(self, continuation: Any, details: grpc.ClientCallDetails, requests: Any) -> Any:
        return continuation(self._details(details), requests)

    def intercept_stream_stream(self, continuation: Any, details: grpc.ClientCallDetails, requests: Any) -> Any:
        return continuation(self._details(details), requests)


def grpc_channel(target: str, *, default_timeout_s: float | None = DEFAULT_TIMEOUT_S,
                 options: Sequence[tuple[str, Any]] = ()) -> grpc.Channel:
    """An insecure channel (mesh/loopback traffic) that propagates the trace and applies a default deadline."""
    return grpc.intercept_channel(grpc.insecure_channel(target, options=list(options)),
                                  ClientPropagation(default_timeout_s))


def downstream_timeout(context: grpc.ServicerContext, *, ceiling_s: float = DEFAULT_TIMEOUT_S,
                       margin_s: float = 0.05) -> float:
    """Timeout for a call made while serving ``context``: never longer than what our own caller waits."""
    remaining = context.time_remaining()
    if remaining is None:
        return ceiling_s
    return max(min(remaining - margin_s, ceiling_s), 0.0)
