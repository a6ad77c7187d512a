"""Prometheus metrics every service exposes at /metrics."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

HTTP_LATENCY = Histogram(
    "http_request_duration_seconds", "HTTP request latency", ["service", "method", "route", "status"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
OUTBOX_BACKLOG = Gauge("outbox_backlog", "Outbox rows not yet published", ["service"])
OUTBOX_PUBLISHED = Counter("outbox_published_total", "Outbox rows published", ["service", "topic"])
CONSUMER_LAG = Gauge("consumer_lag", "Records behind the high-water mark", ["group", "topic", "partition"])
CONSUMED = Counter("events_consumed_total", "Events consumed", ["group", "topic", "outcome"])
DLQ_COUNT = Counter("dlq_messages_total", "Messages sent to a dead-letter topic", ["group", "topic"])
GRPC_LATENCY = Histogram("grpc_request_duration_seconds", "gRPC server latency", ["service", "method", "code"])
