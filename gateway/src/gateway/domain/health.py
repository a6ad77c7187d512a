"""Health of the platform as the gateway sees it: every service up, or degraded."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any, Literal


@dataclass(frozen=True)
class ServiceHealth:
    status: Literal["up", "down"]
    latency_ms: float | None = None
    error: str | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


def summarize(service: str, results: Mapping[str, ServiceHealth]) -> dict[str, Any]:
    """``{"status": "up" | "degraded", "service": ..., "services": {name: {...}}}``."""
    status = "up" if all(r.status == "up" for r in results.values()) else "degraded"
    return {"status": status, "service": service,
            "services": {name: results[name].as_dict() for name in sorted(results)}}
