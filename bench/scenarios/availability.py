"""Whether a service a scenario needs has landed: listed in services/platform.yaml (what `make run` starts)."""

from __future__ import annotations

from pathlib import Path

import yaml

PLATFORM = Path(__file__).resolve().parents[2] / "services" / "platform.yaml"


def landed(service: str) -> bool:
    try:
        platform = yaml.safe_load(PLATFORM.read_text(encoding="utf-8"))
    except OSError:
        return False
    return any(s.get("name") == service for s in platform.get("services", []))


def missing(service: str, what: str) -> str:
    """The reason a scenario cannot run yet."""
    if not landed(service):
        return f"not available until {service} lands"
    return f"{service} has landed; this scenario is not wired to {what} yet"
