"""The consumer commits offsets only past records whose effects (or dead letters) are durable."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from esis_shared.consumer import EventConsumer, TransientError
from esis_shared.kafka import Envelope, publish
from esis_shared.metrics import CONSUMER_LAG
from esis_shared.testing.fake_kafka import FakeBroker
from google.protobuf.wrappers_pb2 import StringValue
from kafka.structs import TopicPartition

TOPIC = "test.marks.v1"
TYPE = StringValue.DESCRIPTOR.full_name


@pytest.fixture
def broker() -> FakeBroker:
    fake = FakeBroker()
    fake.create_topic(TOPIC, partitions=1)
    return fake


def send(broker: FakeBroker, text: str, value: bytes | None = None) -> None:
    envelope = Envelope(id=str(uuid.uuid4()), type=TYPE, source="test", time=datetime.now(UTC), key="k",
                        topic=TOPIC, value=StringValue(value=text).SerializeToString() if value is None else value)
    publish(broker.producer(), envelope)


def make_consumer(broker, db, handler, dlq_producer=None) -> EventConsumer:
    return EventConsumer(bootstrap="fake", group_id="g", topics=[TOPIC], session_factory=db.sessions,
                         handlers={TYPE: handler}, max_retries=0, client=broker.consumer("g"),
                         dlq_producer=dlq_producer or broker.producer())


def committed(broker: FakeBroker) -> int | None:
    return broker.committed.get(("g", TopicPartition(TOPIC, 0)))


def test_offsets_are_committed_after_the_batch_is_handled(broker, sqlite_db):
    for text in ("a", "b"):
        send(broker, text)
    consumer = make_consumer(broker, sqlite_db, sqlite_db.record_effect)
    assert consumer.poll_once() == 2
    assert committed(broker) == 2 and sqlite_db.effect_texts() == ["a", "b"]


def test_a_transient_failure_commits_what_is_done_and_retries_the_rest(broker, sqlite_db):
    outage = {"on": True}

    def handler(session, message, envelope):
        if message.value == "b" and outage["on"]:
            raise TransientError("hr service unavailable")
        sqlite_db.record_effect(session, message, envelope)

    for text in ("a", "b", "c"):
        send(broker, text)
    consumer = make_consumer(broker, sqlite_db, handler)
    with pytest.raises(TransientError):
        consumer.poll_once()
    assert committed(broker) == 1 and broker.topics[TOPIC + ".dlq"] == [[]]
    outage["on"] = False
    consumer.poll_once()
    assert sqlite_db.effect_texts() == ["a", "b", "c"] and committed(broker) == 3


def test_a_record_whose_dead_letter_cannot_be_written_is_not_skipped(broker, sqlite_db):
    send(broker, "", value=b"\xff\xff\xff")
    send(broker, "after")
    dlq = broker.producer()
    dlq.fail_with = TimeoutError("dlq unreachable")
    consumer = make_consumer(broker, sqlite_db, sqlite_db.record_effect, dlq_producer=dlq)
    with pytest.raises(TimeoutError):
        consumer.poll_once()
    assert committed(broker) is None and sqlite_db.effect_texts() == []
    dlq.fail_with = None
    consumer.poll_once()
    assert len(broker.records(TOPIC + ".dlq")) == 1 and sqlite_db.effect_texts() == ["after"]


def test_lag_is_measured_against_the_high_water_mark(broker, sqlite_db):
    def handler(session, message, envelope):
        if message.value == "a":
            send(broker, "arrived meanwhile")
        sqlite_db.record_effect(session, message, envelope)

    for text in ("a", "b", "c"):
        send(broker, text)
    consumer = make_consumer(broker, sqlite_db, handler)
    consumer.poll_once()
    assert CONSUMER_LAG.labels("g", TOPIC, "0")._value.get() == 1
    consumer.poll_once()
    assert CONSUMER_LAG.labels("g", TOPIC, "0")._value.get() == 0
