"""education's settings: environment variables ``EDUCATION_*`` (see README.md for the full list)."""

from __future__ import annotations

from esis_shared.config import ServiceSettings, prefixed


class Settings(ServiceSettings):
    model_config = prefixed("education")

    service_name: str = "education"
    http_port: int = 8002
    grpc_port: int | None = 9002
    database_url: str = "sqlite:///.run/education.db"
    migrate_on_start: bool = True  # production runs the migration Job and sets this to false

    # Load the shipped hierarchy (22 first-level units, UB districts) at start; demo soums only in dev.
    load_reference_data: bool = True
    demo_soums: bool = True
    # A transfer nobody acted on for this many days goes to the aimag / capital education department.
    transfer_escalation_days: int = 14
    escalation_check_s: float = 3600.0
