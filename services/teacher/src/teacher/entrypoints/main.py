"""``python -m teacher [serve|migrate]``: HTTP + gRPC + outbox relay + roster consumer in one process."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from esis_shared import runtime
from esis_shared.db import make_session_factory, migrate

from teacher.bootstrap import MIGRATIONS_DIR, Container, bootstrap
from teacher.config import Settings


def serve(settings: Settings) -> None:
    container = bootstrap(settings, run_migrations=settings.migrate_on_start)
    from teacher.entrypoints.api.app import build_app
    from teacher.entrypoints.grpc_server import build_grpc_server

    grpc_server = build_grpc_server(container) if settings.grpc_port else None
    runtime.serve(settings, build_app(container), grpc_server=grpc_server, workers=workers(container))


def workers(container: Container) -> list[runtime.Worker]:
    """The outbox relay and the consumer of education's and hr's events (none without Kafka)."""
    if not container.settings.kafka_enabled:
        return []
    return [_relay(container), _consumer(container)]


def _relay(container: Container) -> runtime.Worker:
    return runtime.relay_worker(container.settings, container.engine, client_id="teacher-relay")


def _consumer(container: Container) -> runtime.Worker:
    from teacher.entrypoints.consumer import BATCH_HANDLERS, CONSUMER_HANDLERS, TOPICS

    settings = container.settings
    return runtime.consumer_worker(settings, group_id=settings.consumer_group, topics=TOPICS,
                                   session_factory=make_session_factory(container.engine),
                                   handlers=CONSUMER_HANDLERS, batch_handlers=BATCH_HANDLERS, name="roster-consumer")


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    settings = Settings()
    commands = {
        "serve": lambda: serve(settings),
        "migrate": lambda: migrate(settings.database_url, MIGRATIONS_DIR),
    }
    runtime.main(settings, commands, args[:1])
