"""Per-upstream Prometheus metrics, exposed with the shared ones at /metrics."""

from __future__ import annotations

from prometheus_client import Counter, Histogram

UPSTREAM_LATENCY = Histogram(
    "gateway_upstream_duration_seconds", "Time until an upstream service answered (headers)",
    ["service", "method"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
UPSTREAM_RESPONSES = Counter(
    "gateway_upstream_responses_total", "Upstream answers by status (or 'unavailable' / 'timeout')",
    ["service", "status"],
)
REJECTED = Counter("gateway_rejected_total", "Requests the gateway refused itself", ["reason"])
