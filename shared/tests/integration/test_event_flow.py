"""Outbox → relay → Kafka-protocol broker → idempotent consumer, on real servers."""

from __future__ import annotations

import random
import threading
import time
from collections import defaultdict

import pytest
from esis_shared.consumer import EventConsumer
from esis_shared.kafka import Envelope, make_producer
from esis_shared.relay import OutboxRelay
from esis_shared.testing.kafka_tools import drain, read_topic
from esis_shared.tracing import configure_tracing
from google.protobuf.wrappers_pb2 import StringValue
from opentelemetry import trace

pytestmark = pytest.mark.integration
TYPE = StringValue.DESCRIPTOR.full_name


@pytest.fixture
def producer(kafka_bootstrap):
    made = make_producer(kafka_bootstrap)
    yield made
    made.close()


def consume(db, bootstrap, group, topic, until, handler=None) -> None:
    consumer = EventConsumer(bootstrap=bootstrap, group_id=group, topics=[topic], session_factory=db.sessions,
                             handlers={TYPE: handler or db.record_effect}, session_timeout_ms=2000,
                             heartbeat_interval_ms=500)
    try:
        drain(consumer, until)
    finally:
        consumer.close()


def test_staged_event_reaches_the_consumer_with_its_attributes(sql_url, event_db, producer, kafka_bootstrap,
                                                               kafka_topic, kafka_group):
    db, topic = event_db(sql_url), kafka_topic(partitions=2)
    event_id = db.stage(topic, "learner-7", "enrolled", aimag="011")
    assert OutboxRelay(db.engine, producer, service="education", batch_size=10).run_once() == 1
    seen: list[Envelope] = []

    def handler(session, message, envelope):
        seen.append(envelope)
        db.record_effect(session, message, envelope)

    consume(db, kafka_bootstrap, kafka_group, topic, lambda: db.effect_texts() == ["enrolled"], handler)
    [envelope] = seen
    assert (envelope.id, envelope.type, envelope.source) == (event_id, TYPE, "test")
    assert (envelope.key, envelope.subject, envelope.aimag) == ("learner-7", "learner-7", "011")


def test_relay_crash_after_publishing_loses_nothing_and_the_duplicate_is_absorbed(
        sql_url, event_db, producer, kafka_bootstrap, kafka_topic, kafka_group, monkeypatch):
    db, topic = event_db(sql_url), kafka_topic(partitions=1)
    for i in range(3):
        db.stage(topic, "learner-1", f"mark-{i}")
    relay = OutboxRelay(db.engine, producer, service="teacher")
    monkeypatch.setattr(relay, "_mark_sent", lambda *_: (_ for _ in ()).throw(RuntimeError("killed")))
    with pytest.raises(RuntimeError):
        relay.run_once()
    monkeypatch.undo()
    assert relay.run_once() == 3
    assert len(read_topic(kafka_bootstrap, topic, expected=6)) == 6
    consume(db, kafka_bootstrap, kafka_group, topic, lambda: len(db.effect_texts()) >= 3)
    time.sleep(0.2)
    assert db.effect_texts() == ["mark-0", "mark-1", "mark-2"]


class JitteryProducer:
    """Counts what one relay replica published; network-like jitter lets two replicas' sends interleave."""

    def __init__(self, inner) -> None:
        self.inner, self.sent = inner, 0

    def send(self, *args, **kwargs):
        time.sleep(random.random() * 0.002)
        self.sent += 1
        return self.inner.send(*args, **kwargs)

    def flush(self, timeout=None):
        self.inner.flush(timeout=timeout)


def stage_in_waves(db, topic: str, keys: int, per_key: int) -> None:
    for n in range(per_key):
        for k in range(keys):
            db.stage(topic, f"school-{k}", f"school-{k}:{n}")


def run_relays(relays, until) -> None:
    stop = threading.Event()
    threads = [threading.Thread(target=relay.run, args=(stop,)) for relay in relays]
    for thread in threads:
        thread.start()
    try:
        deadline = time.monotonic() + 30
        while not until() and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop.set()
        for thread in threads:
            thread.join(10)


def test_two_relays_on_postgresql_publish_every_row_in_per_key_order(postgres_url, event_db, kafka_bootstrap,
                                                                      kafka_topic):
    db, topic = event_db(postgres_url), kafka_topic(partitions=3)
    keys, per_key = 6, 40
    stage_in_waves(db, topic, keys, per_key)  # a backlog, so both replicas have batches to contend for
    producers = [JitteryProducer(make_producer(kafka_bootstrap)) for _ in range(2)]
    relays = [OutboxRelay(db.engine, p, service="hr", batch_size=7, idle_wait_s=0.005) for p in producers]
    run_relays(relays, lambda: db.unsent() == 0)
    for p in producers:
        p.inner.close()
    records = read_topic(kafka_bootstrap, topic, expected=keys * per_key)
    by_key: dict[str, list[int]] = defaultdict(list)
    for record in records:
        text = StringValue.FromString(record.value).value
        by_key[record.key.decode()].append(int(text.split(":")[1]))
    assert db.unsent() == 0 and all(p.sent > 0 for p in producers)
    for key, sequence in by_key.items():
        assert sequence == sorted(sequence), f"{key} out of order"
        assert sorted(set(sequence)) == list(range(per_key)), f"{key} lost events"
    assert len(by_key) == keys


def test_trace_context_travels_from_the_staging_span_to_the_handler(event_db, tmp_path, producer,
                                                                    kafka_bootstrap, kafka_topic, kafka_group):
    configure_tracing("shared-tests", "memory")
    db, topic = event_db(f"sqlite:///{tmp_path / 'trace.db'}"), kafka_topic()
    with trace.get_tracer("test").start_as_current_span("enrol learner") as producing:
        db.stage(topic, "learner-3", "enrolled")
    OutboxRelay(db.engine, producer, service="education").run_once()
    spans = []

    def handler(session, message, envelope):
        spans.append(trace.get_current_span())
        db.record_effect(session, message, envelope)

    consume(db, kafka_bootstrap, kafka_group, topic, lambda: bool(spans), handler)
    [consuming] = spans
    assert consuming.get_span_context().trace_id == producing.get_span_context().trace_id
    assert consuming.parent.span_id == producing.get_span_context().span_id
    assert consuming.kind is trace.SpanKind.CONSUMER


def test_the_relay_producer_publishes_a_claimed_batch_without_waiting_for_its_linger(sql_url, event_db,
                                                                                      kafka_bootstrap, kafka_topic):
    from esis_shared.kafka import make_relay_producer

    db, topic = event_db(sql_url), kafka_topic(partitions=2)
    for i in range(3):
        db.stage(topic, f"learner-{i}", f"enrolled-{i}")
    producer = make_relay_producer(kafka_bootstrap, linger_ms=15_000)  # a linger no test would wait for
    try:
        assert OutboxRelay(db.engine, producer, service="education").run_once() == 3
    finally:
        producer.close()
    assert db.unsent() == 0 and len(read_topic(kafka_bootstrap, topic, expected=3)) == 3
