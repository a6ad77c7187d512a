"""``python -m teacher [serve|migrate]``: HTTP + gRPC + outbox relay + roster consumer in one process."""

from __future__ import annotations

import sys
import threading
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
    from esis_shared.kafka import make_producer
    from esis_shared.relay import OutboxRelay

    settings = container.settings

    def relay(stop: threading.Event) -> None:
        producer = make_producer(settings.kafka_bootstrap, client_id="teacher-relay")
        try:
            OutboxRelay(container.engine, producer, service=settings.service_name).run(stop)
        finally:
            producer.close()

    relay.__name__ = "outbox-relay"
    return relay


def _consumer(container: Container) -> runtime.Worker:
    from esis_shared.consumer import EventConsumer

    from teacher.entrypoints.consumer import HANDLERS, TOPICS

    settings = container.settings

    def consume(stop: threading.Event) -> None:
        EventConsumer(bootstrap=settings.kafka_bootstrap, group_id=settings.consumer_group, topics=TOPICS,
                      session_factory=make_session_factory(container.engine), handlers=HANDLERS).run(stop)

    consume.__name__ = "roster-consumer"
    return consume


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    settings = Settings()
    commands = {
        "serve": lambda: serve(settings),
        "migrate": lambda: migrate(settings.database_url, MIGRATIONS_DIR),
    }
    runtime.main(settings, commands, args[:1])
