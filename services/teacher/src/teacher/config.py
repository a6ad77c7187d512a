"""The teacher portal's settings: environment variables ``TEACHER_*`` (see README.md for the full list)."""

from __future__ import annotations

from esis_shared.config import ServiceSettings, prefixed


class Settings(ServiceSettings):
    model_config = prefixed("teacher")

    service_name: str = "teacher"
    http_port: int = 8004
    grpc_port: int | None = 9004
    database_url: str = "sqlite:///.run/teacher.db"
    migrate_on_start: bool = True  # production runs the migration Job and sets this to false

    # Kafka consumer group of the roster and assignment read models.
    consumer_group: str = "teacher"
    # education's gRPC address (host:port) for learners' names on the journal pages; empty: pages show ids.
    education_grpc: str = "127.0.0.1:9002"
    # CSRF signing secret shared by every service's pages (ESIS_CSRF_SECRET also works); required in production.
    csrf_secret: str | None = None
