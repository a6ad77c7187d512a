"""The outbox relay publishes staged rows in order and never loses one."""

from __future__ import annotations

import threading
import time

import pytest
from esis_shared.metrics import OUTBOX_BACKLOG
from esis_shared.relay import OutboxRelay
from esis_shared.testing.fake_kafka import FakeBroker
from google.protobuf.wrappers_pb2 import StringValue

TOPIC = "test.things.v1"


@pytest.fixture
def broker() -> FakeBroker:
    fake = FakeBroker()
    fake.create_topic(TOPIC, partitions=3)
    return fake


def texts(broker: FakeBroker) -> list[str]:
    return [StringValue.FromString(r.value).value for r in sorted(broker.records(TOPIC), key=seq_of)]


def seq_of(record) -> int:
    return int(StringValue.FromString(record.value).value.split("-")[1])


def test_staged_rows_are_published_in_order_with_cloudevents_headers(sqlite_db, broker):
    ids = [sqlite_db.stage(TOPIC, f"key-{i % 2}", f"e-{i}", aimag="011") for i in range(5)]
    producer = broker.producer()
    assert OutboxRelay(sqlite_db.engine, producer, service="test").run_once() == 5
    assert [StringValue.FromString(r.value).value for r in producer.sent] == [f"e-{i}" for i in range(5)]
    headers = dict(producer.sent[0].headers)
    assert (headers["ce_id"], headers["ce_source"], headers["aimag"]) == (ids[0].encode(), b"test", b"011")
    assert producer.sent[0].key == b"key-0"
    assert sqlite_db.unsent() == 0


def test_published_rows_are_not_sent_again(sqlite_db, broker):
    sqlite_db.stage(TOPIC, "k", "e-0")
    relay = OutboxRelay(sqlite_db.sessions, broker.producer(), service="test")
    assert (relay.run_once(), relay.run_once()) == (1, 0)


def test_batches_are_bounded_and_the_backlog_is_reported(sqlite_db, broker):
    for i in range(5):
        sqlite_db.stage(TOPIC, "k", f"e-{i}")
    relay = OutboxRelay(sqlite_db.engine, broker.producer(), service="relay-unit", batch_size=2)
    assert relay.run_once() == 2
    assert OUTBOX_BACKLOG.labels("relay-unit")._value.get() == 3
    assert [relay.run_once(), relay.run_once(), relay.run_once()] == [2, 1, 0]


def test_crash_between_publish_and_mark_republishes_instead_of_losing(sqlite_db, broker, monkeypatch):
    for i in range(3):
        sqlite_db.stage(TOPIC, "k", f"e-{i}")
    relay = OutboxRelay(sqlite_db.engine, broker.producer(), service="test")

    def crash(*_args):
        raise RuntimeError("process killed")

    monkeypatch.setattr(relay, "_mark_sent", crash)
    with pytest.raises(RuntimeError):
        relay.run_once()
    assert sqlite_db.unsent() == 3
    monkeypatch.undo()
    assert relay.run_once() == 3
    assert texts(broker) == ["e-0", "e-0", "e-1", "e-1", "e-2", "e-2"]
    assert sqlite_db.unsent() == 0


def test_refused_delivery_marks_nothing(sqlite_db, broker):
    sqlite_db.stage(TOPIC, "k", "e-0")
    producer = broker.producer()
    producer.fail_with = TimeoutError("broker unreachable")
    relay = OutboxRelay(sqlite_db.engine, producer, service="test")
    with pytest.raises(TimeoutError):
        relay.run_once()
    assert sqlite_db.unsent() == 1


def test_run_keeps_relaying_after_a_failed_batch_until_stopped(sqlite_db, broker):
    sqlite_db.stage(TOPIC, "k", "e-0")
    producer = broker.producer()
    producer.fail_with = TimeoutError("broker unreachable")
    stop = threading.Event()
    relay = OutboxRelay(sqlite_db.engine, producer, service="test", idle_wait_s=0.01, error_wait_s=0.01)
    worker = threading.Thread(target=relay.run, args=(stop,))
    worker.start()
    try:
        time.sleep(0.05)
        assert sqlite_db.unsent() == 1
        producer.fail_with = None
        deadline = time.monotonic() + 5
        while sqlite_db.unsent() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert sqlite_db.unsent() == 0
    finally:
        stop.set()
        worker.join(5)
    assert not worker.is_alive()


def test_events_staged_in_bulk_are_published_in_their_order(sqlite_db, broker):
    from esis_shared.db import transaction
    from esis_shared.outbox import OutgoingEvent, stage_events

    with transaction(sqlite_db.sessions) as session:
        ids = stage_events(session, [OutgoingEvent(TOPIC, f"key-{i % 2}", StringValue(value=f"e-{i}"), aimag="011")
                                     for i in range(4)], source="bulk")
    producer = broker.producer()
    assert OutboxRelay(sqlite_db.engine, producer, service="test").run_once() == 4
    assert [StringValue.FromString(r.value).value for r in producer.sent] == ["e-0", "e-1", "e-2", "e-3"]
    headers = [dict(r.headers) for r in producer.sent]
    assert [h["ce_id"].decode() for h in headers] == ids
    assert {(h["ce_source"], h["aimag"]) for h in headers} == {(b"bulk", b"011")}


def test_the_backlog_of_a_short_batch_is_zero_without_counting(sqlite_db, broker, monkeypatch):
    sqlite_db.stage(TOPIC, "k", "e-0")
    relay = OutboxRelay(sqlite_db.engine, broker.producer(), service="relay-short", batch_size=5)
    monkeypatch.setattr(relay, "backlog", lambda: (_ for _ in ()).throw(AssertionError("counted")))
    assert relay.run_once() == 1
    assert OUTBOX_BACKLOG.labels("relay-short")._value.get() == 0
