"""parent's settings: environment variables ``PARENT_*`` (see README.md)."""

from __future__ import annotations

from esis_shared.config import ServiceSettings, prefixed


class Settings(ServiceSettings):
    model_config = prefixed("parent")

    service_name: str = "parent"
    http_port: int = 8005
    grpc_port: int | None = 9005
    database_url: str = "sqlite:///.run/parent.db"
    migrate_on_start: bool = True

    education_grpc: str = "127.0.0.1:9002"
    # HTTP: only the access log, read with the guardian's own token (timetables come in events / over gRPC).
    education_url: str = "http://127.0.0.1:8002"
    hr_grpc: str = "127.0.0.1:9003"

    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    amqp_enabled: bool = True

    claim_max_failures: int = 5
    claim_window_minutes: int = 30
    claim_lock_minutes: int = 60


class InsecureConfiguration(RuntimeError):
    """The production profile was asked to start with RabbitMQ's default login."""


def ensure_safe_for_profile(settings: Settings) -> None:
    if settings.is_production and settings.amqp_enabled and "guest:guest@" in settings.amqp_url:
        raise InsecureConfiguration("parent refuses to start in the production profile:\n  - PARENT_AMQP_URL uses "
                                    "RabbitMQ's default guest login")
