"""The batch transaction on real databases: a failed statement is undone by its savepoint (PostgreSQL aborts the
whole transaction otherwise), and two deliveries of one event racing each other have one effect."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

import pytest
from esis_shared.consumer import EventProcessor, Outcome, default_resolver
from esis_shared.kafka import Envelope
from esis_shared.testing.fake_kafka import FakeRecord
from google.protobuf.wrappers_pb2 import StringValue

pytestmark = pytest.mark.integration
TOPIC = "test.grades.v1"
TYPE = StringValue.DESCRIPTOR.full_name


def record(text: str, offset: int, event_id: str | None = None) -> FakeRecord:
    envelope = Envelope(id=event_id or str(uuid.uuid4()), type=TYPE, source="test", time=datetime.now(UTC), key="k",
                        value=StringValue(value=text).SerializeToString())
    return FakeRecord(TOPIC, 0, offset, b"k", envelope.value, envelope.headers())


def processor(db, handler, dead: list | None = None) -> EventProcessor:
    sink = dead if dead is not None else []
    return EventProcessor(group_id="g", session_factory=db.sessions, handlers={TYPE: handler},
                          resolve=default_resolver, dead_letter=lambda r, e: sink.append(e), max_retries=1,
                          sleep=lambda _s: None)


def test_a_failed_statement_is_undone_by_its_savepoint_and_the_batch_goes_on(sql_url, event_db):
    db = event_db(sql_url)

    def handler(session, message, envelope):
        db.record_effect(session, message, envelope)
        if message.value == "clash":  # a primary-key violation: on PostgreSQL this aborts the transaction
            for _ in range(2):
                session.execute(db.effects.insert().values(id=999, event_id="x", key="k", text="again"))

    dead: list[BaseException] = []
    result = processor(db, handler, dead).process_batch([record("a", 0), record("clash", 1), record("c", 2)])
    assert result.error is None
    assert result.outcomes == [Outcome.PROCESSED, Outcome.DEAD_LETTERED, Outcome.PROCESSED]
    assert db.effect_texts() == ["a", "c"] and [type(e).__name__ for e in dead] == ["IntegrityError"]


def test_a_concurrent_delivery_of_the_same_event_waits_and_has_no_second_effect(postgres_url, event_db):
    db = event_db(postgres_url)
    same = record("once", 0)
    inside, release = threading.Event(), threading.Event()

    def slow(session, message, envelope):
        db.record_effect(session, message, envelope)
        inside.set()
        assert release.wait(30)

    first: list = []
    worker = threading.Thread(target=lambda: first.append(processor(db, slow).process_batch([same])))
    worker.start()
    try:
        assert inside.wait(30)
        second: list = []
        racer = threading.Thread(target=lambda: second.append(
            processor(db, db.record_effect).process_batch([record("other", 1), same])))
        racer.start()
        release.set()
        racer.join(30)
    finally:
        release.set()
        worker.join(30)
    assert first[0].outcomes == [Outcome.PROCESSED]
    assert second[0].outcomes == [Outcome.PROCESSED, Outcome.DUPLICATE]
    assert sorted(db.effect_texts()) == ["once", "other"]
