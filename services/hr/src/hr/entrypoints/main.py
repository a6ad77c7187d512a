"""``python -m hr [serve|migrate]``."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from esis_shared import runtime
from esis_shared.db import migrate

from hr.bootstrap import MIGRATIONS_DIR, Container, bootstrap
from hr.config import Settings


def serve(settings: Settings) -> None:
    container = bootstrap(settings, run_migrations=settings.migrate_on_start)
    from hr.entrypoints.api.app import build_app
    from hr.entrypoints.grpc_server import build_grpc_server

    grpc_server = build_grpc_server(container) if settings.grpc_port else None
    runtime.serve(settings, build_app(container), grpc_server=grpc_server, workers=background_workers(container))


def background_workers(container: Container) -> list[runtime.Worker]:
    """The outbox relay and the consumer of education's events (none without a broker)."""
    settings = container.settings
    if not settings.kafka_enabled:
        return []
    from hr.entrypoints.consumer import GROUP_ID, HANDLERS, TOPICS

    return [runtime.relay_worker(settings, container.engine, client_id="hr-relay"),
            runtime.consumer_worker(settings, group_id=GROUP_ID, topics=TOPICS, session_factory=container.sessions,
                                    handlers=HANDLERS, name="education-consumer")]


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    settings = Settings()
    commands = {
        "serve": lambda: serve(settings),
        "migrate": lambda: migrate(settings.database_url, MIGRATIONS_DIR),
    }
    runtime.main(settings, commands, args[:1])
