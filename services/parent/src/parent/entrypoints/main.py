"""``python -m parent [serve|migrate]``: HTTP + gRPC + Kafka outbox relay + Kafka consumer + AMQP relay and
receipts consumer, as threads of one process."""

from __future__ import annotations

import sys
import threading
from collections.abc import Sequence

from esis_shared import runtime
from esis_shared.db import make_session_factory, migrate

from parent.bootstrap import MIGRATIONS_DIR, Container, bootstrap
from parent.config import InsecureConfiguration, Settings

CONSUMER_GROUP = "parent"


def serve(settings: Settings) -> None:
    container = bootstrap(settings, run_migrations=settings.migrate_on_start)
    from parent.entrypoints.api.app import build_app
    from parent.entrypoints.grpc_server import build_grpc_server

    grpc_server = build_grpc_server(container) if settings.grpc_port else None
    runtime.serve(settings, build_app(container), grpc_server=grpc_server, workers=background_workers(container))


def background_workers(container: Container) -> list[runtime.Worker]:
    return kafka_workers(container) + amqp_workers(container)


def kafka_workers(container: Container) -> list[runtime.Worker]:
    settings = container.settings
    if not settings.kafka_enabled:
        return []
    from parent.entrypoints.consumer import TOPICS, build_handlers, import_generated

    consume = runtime.consumer_worker(settings, group_id=CONSUMER_GROUP, topics=TOPICS,
                                      session_factory=make_session_factory(container.engine),
                                      handlers=build_handlers(container.deps))

    def consumer(stop: threading.Event) -> None:
        import_generated()  # on every (re)start: a publisher's protos may land after this service
        consume(stop)

    consumer.__name__ = consume.__name__
    return [runtime.relay_worker(settings, container.engine, client_id="parent-relay"), consumer]


def amqp_workers(container: Container) -> list[runtime.Worker]:
    settings = container.settings
    if not settings.amqp_enabled:
        return []
    from parent.adapters.amqp import NotificationRelay, ReceiptConsumer

    def notifications(stop: object) -> None:
        NotificationRelay(container.engine, settings.amqp_url).run(stop)  # type: ignore[arg-type]

    def receipts(stop: object) -> None:
        ReceiptConsumer(container.deps.uow, settings.amqp_url).run(stop)  # type: ignore[arg-type]

    notifications.__name__, receipts.__name__ = "notification-relay", "receipt-consumer"
    return [notifications, receipts]


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    settings = Settings()
    commands = {"serve": lambda: serve(settings),
                "migrate": lambda: migrate(settings.database_url, MIGRATIONS_DIR)}
    try:
        runtime.main(settings, commands, args[:1])
    except InsecureConfiguration as exc:
        raise SystemExit(f"✗ {exc}") from None
