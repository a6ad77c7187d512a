"""On a real Kafka-protocol broker and PostgreSQL: the consumer (with its batch handlers) builds the projections,
and a rebuild that replays the topics from the beginning, one event at a time, into an empty SQLite database
prints the same checksum."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from esis_shared.consumer import EventConsumer
from esis_shared.db import make_engine, make_session_factory, migrate, transaction
from esis_shared.kafka import make_producer
from esis_shared.testing.kafka_tools import drain
from kafka import KafkaConsumer
from kafka.structs import TopicPartition
from sqlalchemy import func, select
from stats.adapters.orm import processed_events
from stats.adapters.readers import checksum
from stats.bootstrap import MIGRATIONS_DIR
from stats.domain.enrolment import grade_age_sex
from stats.domain.survival import new_entrants
from stats.entrypoints.consumer import BATCH_HANDLERS, HANDLERS, split
from stats.service_layer.figures import flow_rates, load_world
from stats.service_layer.rebuild import rebuilt_checksum

pytestmark = pytest.mark.integration


def copy_log(event_log: Any, bootstrap: str, kafka_topic: Callable[..., str]) -> dict[str, str]:
    """The hand-made event log on fresh topics of the real broker (same keys, bytes, headers)."""
    names = {name: kafka_topic(partitions=len(parts), prefix=name.split(".")[0])
             for name, parts in event_log.broker.topics.items() if not name.endswith(".dlq")}
    producer = make_producer(bootstrap)
    for name, parts in event_log.broker.topics.items():
        for partition, records in enumerate(parts):
            for record in records:
                producer.send(names[name], key=record.key, value=record.value, headers=record.headers,
                              partition=partition)
    producer.flush()
    producer.close()
    return names


def processed(sessions: Any) -> int:
    with transaction(sessions) as session:
        return session.execute(select(func.count()).select_from(processed_events)).scalar_one()


def test_live_projections_and_rebuild_agree(event_log: Any, kafka_bootstrap: str, kafka_topic: Callable[..., str],
                                            kafka_group: str, postgres_url: str, tmp_path: Path) -> None:
    names = copy_log(event_log, kafka_bootstrap, kafka_topic)
    migrate(postgres_url, MIGRATIONS_DIR)
    live = make_session_factory(make_engine(postgres_url))
    consumer = EventConsumer(bootstrap=kafka_bootstrap, group_id=kafka_group, topics=list(names.values()),
                             session_factory=live, handlers=split(HANDLERS, BATCH_HANDLERS),
                             batch_handlers=BATCH_HANDLERS, session_timeout_ms=2000,
                             heartbeat_interval_ms=500)
    try:
        drain(consumer, lambda: processed(live) == 141, timeout_s=60)
    finally:
        consumer.close()
    with transaction(live) as session:
        live_sum = checksum(session)
        world = load_world(session)
        rates = flow_rates(world, "S1", 2023)["1"]
        # PostgreSQL counts (window function + GROUP BY) as the domain counts the individual records
        for area in ("national", "A65", "S1", "K1"):
            placements = world.area(area, 2024)
            assert world.grade_age_sex(area, 2024) == grade_age_sex(placements, world.learners, world.rules(2024),
                                                                    world.census_day(2024))
            assert world.new_entrants(area, 2024) == len(new_entrants(placements, world.census(2023)))
        assert world.enrolled("national", 2023) == 43
    assert rates["actual_transferred_out_rate"].value == 6.666667

    target = f"sqlite:///{tmp_path / 'rebuilt.db'}"
    migrate(target, MIGRATIONS_DIR)
    client = KafkaConsumer(bootstrap_servers=kafka_bootstrap, group_id=None, enable_auto_commit=False,
                           auto_offset_reset="earliest")
    client.assign([TopicPartition(t, p) for t in names.values() for p in sorted(client.partitions_for_topic(t))])
    client.seek_to_beginning()
    try:
        count, rebuilt = rebuilt_checksum(client, make_session_factory(make_engine(target)), HANDLERS)
    finally:
        client.close()
    assert (count, rebuilt) == (141, live_sum)
