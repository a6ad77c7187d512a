"""``python -m feeds [serve|migrate|topics]``: HTTP + gRPC + outbox relay (the republisher) + consumer.

``topics`` creates every ``feeds.aimag.<code>.v1`` (and its ``.dlq``); ``serve`` does it too before consuming.
The names are the instances of the registry's topic family ``feeds.aimag.v1`` (``scripts/topics.py`` creates the
same ones); ``FEEDS_FEED_PARTITIONS``, when set, overrides the family's partition count for topics feeds creates.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

from esis_shared import runtime
from esis_shared.db import migrate

from feeds.bootstrap import MIGRATIONS_DIR, Container, bootstrap
from feeds.config import Settings
from feeds.domain.feed import family


def feed_topics(settings: Settings) -> list[tuple[str, int]]:
    """(name, partitions) of every per-aimag topic, from the registry's family."""
    return [(spec.name, settings.feed_partitions or spec.partitions) for spec in family().instances()]


def create_topics(settings: Settings) -> None:
    from esis_shared.kafka import ensure_topics

    ensure_topics(settings.kafka_bootstrap, feed_topics(settings))


def serve(settings: Settings) -> None:
    container = bootstrap(settings, run_migrations=settings.migrate_on_start)
    from feeds.entrypoints.api.app import build_app
    from feeds.entrypoints.grpc_server import build_grpc_server

    grpc_server = build_grpc_server(container) if settings.grpc_port else None
    runtime.serve(settings, build_app(container), grpc_server=grpc_server, workers=workers(container))


def workers(container: Container) -> list[runtime.Worker]:
    if not container.settings.kafka_enabled:
        return []
    create_topics(container.settings)
    return [_relay(container), _consumer(container)]


def _relay(container: Container) -> runtime.Worker:
    return runtime.relay_worker(container.settings, container.engine, client_id="feeds-republisher",
                                name="republisher")


def _consumer(container: Container) -> runtime.Worker:
    from feeds.entrypoints.consumer import handlers, registry, topics

    settings = container.settings
    reg = registry()
    return runtime.consumer_worker(settings, group_id=settings.consumer_group, topics=topics(reg),
                                   session_factory=container.sessions, handlers=handlers(reg),
                                   name="feeds-consumer")


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    settings = Settings()
    commands = {
        "serve": lambda: serve(settings),
        "migrate": lambda: migrate(settings.database_url, MIGRATIONS_DIR),
        "topics": lambda: create_topics(settings),
    }
    runtime.main(settings, commands, args[:1])
