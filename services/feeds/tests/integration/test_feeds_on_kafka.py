"""On a real Kafka-protocol broker and PostgreSQL: an event with an aimag header reaches feeds.aimag.65.v1
with the same bytes, key and headers, and the HTTP feed lists it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from esis.common.v1 import common_pb2
from esis.education.v1 import education_events_pb2 as edu
from esis_shared.consumer import EventConsumer
from esis_shared.db import make_engine, make_session_factory, migrate, transaction
from esis_shared.kafka import Envelope, ensure_topics, make_producer, publish
from esis_shared.relay import OutboxRelay
from esis_shared.testing.kafka_tools import drain, read_topic
from feeds.bootstrap import MIGRATIONS_DIR
from feeds.domain.feed import PageRequest, topic_for
from feeds.entrypoints.consumer import handlers, registry
from feeds.service_layer.feeds import read_page

pytestmark = pytest.mark.integration


def test_an_event_reaches_its_aimag_topic_unchanged(kafka_bootstrap: str, kafka_topic: Callable[..., str],
                                                    kafka_group: str, postgres_url: str) -> None:
    source = kafka_topic(partitions=3, prefix="education")
    ensure_topics(kafka_bootstrap, [(topic_for("65"), 3)])
    message = edu.LearnerWithdrawn(learner_id="lrn-int-1", school=common_pb2.OrgRef(org_id="K1", aimag_code="65"),
                                   reason=edu.WITHDRAWAL_REASON_MOVED_ABROAD,
                                   on=common_pb2.Date(year=2024, month=10, day=1))
    envelope = Envelope.for_message(message, source="education", topic=source, key="lrn-int-1", aimag="65")
    producer = make_producer(kafka_bootstrap)
    publish(producer, envelope).get(timeout=10)
    migrate(postgres_url, MIGRATIONS_DIR)
    sessions = make_session_factory(make_engine(postgres_url))
    consumer = EventConsumer(bootstrap=kafka_bootstrap, group_id=kafka_group, topics=[source],
                             session_factory=sessions, handlers=handlers(registry()), session_timeout_ms=2000,
                             heartbeat_interval_ms=500)
    try:
        drain(consumer, lambda: _head(sessions) == 1, timeout_s=60)
    finally:
        consumer.close()
    assert OutboxRelay(sessions, producer, service="feeds").run_once() == 1
    producer.close()
    mine = [r for r in read_topic(kafka_bootstrap, topic_for("65"), expected=1_000, timeout_s=5)
            if dict(r.headers).get("ce_id") == envelope.id.encode()]
    assert len(mine) == 1
    assert (mine[0].key, mine[0].value) == (b"lrn-int-1", envelope.value)
    assert dict(mine[0].headers) == dict(envelope.headers())
    with transaction(sessions) as session:
        [entry] = read_page(session, "65", PageRequest(0, 10)).entries
    assert (entry.event_id, entry.kind) == (envelope.id, "withdrawal")


def _head(sessions: Any) -> int:
    with transaction(sessions) as session:
        return read_page(session, "65", PageRequest(0, 10)).snapshot
