"""On a real Kafka-protocol broker and PostgreSQL: an event with an aimag header reaches feeds.aimag.65.v1
with the same bytes, key and headers, and the HTTP feed lists it; feeds' start-up and scripts/topics.py create the
per-aimag topics the registry's family lists."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from esis.common.v1 import common_pb2
from esis.education.v1 import education_events_pb2 as edu
from esis_shared.consumer import EventConsumer
from esis_shared.db import make_engine, make_session_factory, migrate, transaction
from esis_shared.kafka import Envelope, ensure_topics, make_producer, publish
from esis_shared.relay import OutboxRelay
from esis_shared.testing.kafka_tools import drain, read_topic
from esis_shared.testing.processes import start_tansu
from feeds.bootstrap import MIGRATIONS_DIR
from feeds.config import Settings
from feeds.domain.feed import PageRequest, family, topic_for
from feeds.entrypoints.consumer import handlers, registry
from feeds.entrypoints.main import create_topics
from feeds.service_layer.feeds import read_page

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[4]


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


@pytest.fixture
def empty_broker() -> Iterator[str]:
    """A broker of this test alone (Tansu in memory), so it shows which topics the step under test created."""
    server = start_tansu()
    try:
        yield f"{server.host}:{server.port}"
    finally:
        server.stop()


def partitions_on(bootstrap: str) -> dict[str, int]:
    from kafka import KafkaAdminClient

    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="feeds-test")
    try:
        return {t["name"]: len(t["partitions"]) for t in admin.describe_topics(admin.list_topics())}
    finally:
        admin.close()


FAMILY_TOPICS = {f"feeds.aimag.{code}.v1" for code in family().values}


def test_start_up_creates_every_registry_instance_and_its_dead_letter_topic(empty_broker: str) -> None:
    create_topics(Settings(kafka_bootstrap=empty_broker, feed_partitions=None))

    on_broker = partitions_on(empty_broker)
    assert len(FAMILY_TOPICS) == 31 and set(on_broker) == FAMILY_TOPICS | {f"{t}.dlq" for t in FAMILY_TOPICS}
    assert {on_broker[t] for t in FAMILY_TOPICS} == {family().partitions}


def test_the_topic_script_creates_declared_topics_and_the_family_instances(empty_broker: str) -> None:
    subprocess.run([sys.executable, "scripts/topics.py", "--bootstrap", empty_broker], cwd=ROOT, check=True,
                   capture_output=True, timeout=120)

    on_broker = partitions_on(empty_broker)
    assert set(on_broker) >= FAMILY_TOPICS and "feeds.aimag.1125.v1.dlq" in on_broker
    assert on_broker["education.enrolments.v1"] == 6 and on_broker["identity.accounts.v1.dlq"] == 1
