"""One contract, two brokers: the in-memory fake must behave like the real Kafka-protocol broker.

Every test runs on ``fake`` (no sockets) and on ``tansu`` (a real broker process).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from esis_shared.consumer import EventConsumer
from esis_shared.kafka import Envelope, make_producer, publish
from esis_shared.testing.fake_kafka import FakeBroker
from esis_shared.testing.kafka_tools import drain, read_topic
from google.protobuf.wrappers_pb2 import StringValue
from kafka.structs import TopicPartition

TYPE = StringValue.DESCRIPTOR.full_name


class FakeSide:
    def __init__(self) -> None:
        self.broker = FakeBroker()
        self.producer = self.broker.producer()

    def topic(self, partitions: int) -> str:
        return self.broker.create_topic(f"test.{uuid.uuid4().hex[:8]}.v1", partitions)

    def consumer(self, group: str, topic: str, db, handler) -> EventConsumer:
        return EventConsumer(bootstrap="fake", group_id=group, topics=[topic], session_factory=db.sessions,
                             handlers={TYPE: handler}, max_retries=1, retry_backoff_s=0,
                             client=self.broker.consumer(group), dlq_producer=self.broker.producer())

    def read(self, topic: str, expected: int) -> list:
        return self.broker.records(topic)


class TansuSide:
    def __init__(self, bootstrap: str, topic_factory) -> None:
        self.bootstrap = bootstrap
        self._topic_factory = topic_factory
        self.producer = make_producer(bootstrap)

    def topic(self, partitions: int) -> str:
        return self._topic_factory(partitions=partitions)

    def consumer(self, group: str, topic: str, db, handler) -> EventConsumer:
        # Short group timeouts: Tansu holds a JoinGroup for half the session timeout (INFRA.md).
        return EventConsumer(bootstrap=self.bootstrap, group_id=group, topics=[topic], session_factory=db.sessions,
                             handlers={TYPE: handler}, max_retries=1, retry_backoff_s=0,
                             session_timeout_ms=2000, heartbeat_interval_ms=500)

    def read(self, topic: str, expected: int) -> list:
        return read_topic(self.bootstrap, topic, expected)


@pytest.fixture(params=["fake", pytest.param("tansu", marks=pytest.mark.integration)])
def side(request):
    if request.param == "fake":
        yield FakeSide()
        return
    tansu = TansuSide(request.getfixturevalue("kafka_bootstrap"), request.getfixturevalue("kafka_topic"))
    yield tansu
    tansu.producer.close()


def send(side, topic: str, key: str, text: str, *, event_id: str | None = None, value: bytes | None = None):
    envelope = Envelope(id=event_id or str(uuid.uuid4()), type=TYPE, source="test", time=datetime.now(UTC),
                        key=key, topic=topic,
                        value=StringValue(value=text).SerializeToString() if value is None else value)
    publish(side.producer, envelope).get(timeout=10)
    return envelope


def grading_handler(db):
    def handle(session, message, envelope):
        if message.value == "boom":
            raise ValueError("boom is not a grade")
        db.record_effect(session, message, envelope)
    return handle


def test_events_are_handled_once_each_in_per_key_order(side, sqlite_db, kafka_group):
    topic = side.topic(partitions=2)
    for i in range(6):
        send(side, topic, f"pupil-{i % 2}", f"pupil-{i % 2}:{i}")
    consumer = side.consumer(kafka_group, topic, sqlite_db, grading_handler(sqlite_db))
    try:
        drain(consumer, lambda: len(sqlite_db.effect_texts()) >= 6)
    finally:
        consumer.close()
    effects = sqlite_db.effect_texts()
    for key in ("pupil-0", "pupil-1"):
        mine = [text for text in effects if text.startswith(key)]
        assert mine == sorted(mine, key=lambda t: int(t.split(":")[1])) and len(mine) == 3


def test_event_delivered_twice_has_one_effect(side, sqlite_db, kafka_group):
    topic = side.topic(partitions=1)
    first = send(side, topic, "pupil-1", "present")
    send(side, topic, "pupil-1", "present", event_id=first.id)
    send(side, topic, "pupil-1", "sentinel")
    consumer = side.consumer(kafka_group, topic, sqlite_db, grading_handler(sqlite_db))
    try:
        drain(consumer, lambda: "sentinel" in sqlite_db.effect_texts())
    finally:
        consumer.close()
    assert sqlite_db.effect_texts() == ["present", "sentinel"]


def test_poison_messages_go_to_the_dead_letter_topic_and_the_consumer_moves_on(side, sqlite_db,
                                                                               kafka_group):
    topic = side.topic(partitions=1)
    send(side, topic, "pupil-1", "", value=b"\xff\xff\xff")
    failing = send(side, topic, "pupil-1", "boom")
    send(side, topic, "pupil-1", "after")
    consumer = side.consumer(kafka_group, topic, sqlite_db, grading_handler(sqlite_db))
    try:
        drain(consumer, lambda: "after" in sqlite_db.effect_texts())
    finally:
        consumer.close()
    dead = side.read(topic + ".dlq", expected=2)
    headers = [dict(record.headers) for record in dead]
    assert [h["error_type"] for h in headers] == [b"DecodeError", b"ValueError"]
    assert headers[1]["error"] == b"boom is not a grade" and headers[1]["ce_id"] == failing.id.encode()
    assert [h["original_offset"] for h in headers] == [b"0", b"1"]
    assert (dead[1].key, dead[1].value) == (b"pupil-1", failing.value)
    assert sqlite_db.effect_texts() == ["after"]


def test_a_restarted_consumer_resumes_after_its_committed_offset(side, sqlite_db, kafka_group):
    topic = side.topic(partitions=1)
    send(side, topic, "pupil-1", "one")
    send(side, topic, "pupil-1", "two")
    first = side.consumer(kafka_group, topic, sqlite_db, grading_handler(sqlite_db))
    try:
        drain(first, lambda: len(sqlite_db.effect_texts()) == 2)
    finally:
        first.close()
    send(side, topic, "pupil-1", "three")
    second = side.consumer(kafka_group, topic, sqlite_db, grading_handler(sqlite_db))
    try:
        handled = drain(second, lambda: "three" in sqlite_db.effect_texts())
        assert second._client.committed(TopicPartition(topic, 0)) == 3
    finally:
        second.close()
    assert handled == 1
