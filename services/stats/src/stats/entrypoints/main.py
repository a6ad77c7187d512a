"""``python -m stats [serve|migrate|rebuild|checksum]``.

``rebuild`` replays every consumed topic from the beginning into empty tables (``STATS_REBUILD_DATABASE_URL``,
default an in-memory SQLite) and prints the record count and the checksum of the projections; ``checksum``
prints the checksum of the serving database. Equal checksums: the figures are exactly what the events say.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence

from esis_shared import runtime
from esis_shared.db import make_engine, make_session_factory, migrate, transaction

from stats.bootstrap import MIGRATIONS_DIR, Container, bootstrap
from stats.config import Settings


def serve(settings: Settings) -> None:
    container = bootstrap(settings, run_migrations=settings.migrate_on_start)
    from stats.entrypoints.api.app import build_app
    from stats.entrypoints.grpc_server import build_grpc_server

    grpc_server = build_grpc_server(container) if settings.grpc_port else None
    runtime.serve(settings, build_app(container), grpc_server=grpc_server, workers=workers(container))


def workers(container: Container) -> list[runtime.Worker]:
    """The outbox relay (approval events) and the projections' consumer (none without Kafka)."""
    if not container.settings.kafka_enabled:
        return []
    return [_relay(container), _consumer(container)]


def _relay(container: Container) -> runtime.Worker:
    return runtime.relay_worker(container.settings, container.engine, client_id="stats-relay")


def _consumer(container: Container) -> runtime.Worker:
    from stats.entrypoints.consumer import BATCH_HANDLERS, HANDLERS, TOPICS, split

    settings = container.settings
    return runtime.consumer_worker(settings, group_id=settings.consumer_group, topics=TOPICS,
                                   session_factory=container.sessions, handlers=split(HANDLERS, BATCH_HANDLERS),
                                   batch_handlers=BATCH_HANDLERS, max_poll_records=2000,
                                   name="projections-consumer")


def rebuild(settings: Settings) -> None:
    from kafka import KafkaConsumer
    from kafka.structs import TopicPartition
    from sqlalchemy.pool import StaticPool

    from stats.entrypoints.consumer import BATCH_HANDLERS, HANDLERS, TOPICS
    from stats.service_layer.rebuild import rebuilt_checksum

    url = os.environ.get("STATS_REBUILD_DATABASE_URL", "sqlite://")
    engine = make_engine(url, poolclass=StaticPool) if url == "sqlite://" else make_engine(url)
    from stats.adapters.orm import metadata

    metadata.create_all(engine)
    client = KafkaConsumer(bootstrap_servers=settings.kafka_bootstrap, group_id=None, enable_auto_commit=False,
                           auto_offset_reset="earliest", client_id="stats-rebuild", max_poll_records=2000)
    partitions = [TopicPartition(t, p) for t in TOPICS for p in sorted(client.partitions_for_topic(t) or ())]
    client.assign(partitions)
    client.seek_to_beginning()
    try:
        count, digest = rebuilt_checksum(client, make_session_factory(engine), HANDLERS, BATCH_HANDLERS)
    finally:
        client.close()
    print(f"records {count}\nchecksum {digest}")


def checksum(settings: Settings) -> None:
    from stats.adapters.readers import checksum as projection_checksum

    engine = make_engine(settings.database_url)
    with transaction(make_session_factory(engine)) as session:
        print(f"checksum {projection_checksum(session)}")


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    settings = Settings()
    commands = {
        "serve": lambda: serve(settings),
        "migrate": lambda: migrate(settings.database_url, MIGRATIONS_DIR),
        "rebuild": lambda: rebuild(settings),
        "checksum": lambda: checksum(settings),
    }
    runtime.main(settings, commands, args[:1])
