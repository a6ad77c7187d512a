"""hr's settings: environment variables ``HR_*`` (see README.md)."""

from __future__ import annotations

from decimal import Decimal

from esis_shared.config import ServiceSettings, prefixed


class Settings(ServiceSettings):
    model_config = prefixed("hr")

    service_name: str = "hr"
    http_port: int = 8003
    grpc_port: int | None = 9003
    database_url: str = "sqlite:///.run/hr.db"
    migrate_on_start: bool = True  # production runs the migration Job and sets this to false

    # Weekly teaching hours of a full-time teacher above which an assignment gets a warning (not a refusal).
    workload_norm_hours: int = 19
    # The most FTE one person may hold at once across all their appointments (e.g. 1.0 + 0.5 elsewhere).
    max_total_fte: Decimal = Decimal("1.5")
