"""What the consumer does with one record: effect once, retry, dead-letter, skip."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from esis_shared.consumer import EventProcessor, Outcome, TransientError, dead_letter_headers, default_resolver
from esis_shared.kafka import Envelope
from esis_shared.metrics import CONSUMED, DLQ_COUNT
from esis_shared.testing.fake_kafka import FakeRecord
from google.protobuf.wrappers_pb2 import StringValue
from sqlalchemy.exc import OperationalError

TOPIC = "test.things.v1"
TYPE = StringValue.DESCRIPTOR.full_name


def event_record(text: str, *, event_id: str | None = None, type_name: str = TYPE, value: bytes | None = None,
                 offset: int = 0) -> FakeRecord:
    envelope = Envelope(id=event_id or str(uuid.uuid4()), type=type_name, source="test", time=datetime.now(UTC),
                        key="k-1", value=StringValue(value=text).SerializeToString() if value is None else value)
    return FakeRecord(TOPIC, 0, offset, b"k-1", envelope.value, envelope.headers())


class Harness:
    def __init__(self, db, handlers=None, max_retries=2):
        self.dead: list[tuple[FakeRecord, BaseException]] = []
        self.sleeps: list[float] = []
        self.processor = EventProcessor(
            group_id="g", session_factory=db.sessions, handlers=handlers or {TYPE: db.record_effect},
            resolve=default_resolver, dead_letter=lambda r, e: self.dead.append((r, e)), max_retries=max_retries,
            retry_backoff_s=0.1, sleep=self.sleeps.append)


def test_redelivered_event_has_one_effect(sqlite_db):
    harness = Harness(sqlite_db)
    record = event_record("Бат")
    outcomes = [harness.processor.process(record), harness.processor.process(record)]
    assert outcomes == [Outcome.PROCESSED, Outcome.DUPLICATE]
    assert sqlite_db.effect_texts() == ["Бат"]


def test_failing_handler_is_retried_then_dead_lettered_without_effect(sqlite_db):
    calls = []

    def explode(session, message, envelope):
        sqlite_db.record_effect(session, message, envelope)
        calls.append(message.value)
        raise ValueError("grade out of range")

    harness = Harness(sqlite_db, {TYPE: explode}, max_retries=2)
    assert harness.processor.process(event_record("x")) is Outcome.DEAD_LETTERED
    assert calls == ["x", "x", "x"] and harness.sleeps == [0.1, 0.2]
    assert sqlite_db.effect_texts() == []
    [(_, error)] = harness.dead
    assert str(error) == "grade out of range"


def test_handler_that_recovers_within_retries_has_one_effect(sqlite_db):
    failures = iter([RuntimeError("flaky")])

    def flaky(session, message, envelope):
        if next(failures, None):
            raise RuntimeError("flaky")
        sqlite_db.record_effect(session, message, envelope)

    harness = Harness(sqlite_db, {TYPE: flaky})
    assert harness.processor.process(event_record("ok")) is Outcome.PROCESSED
    assert sqlite_db.effect_texts() == ["ok"] and harness.dead == []


@pytest.mark.parametrize("error", [TransientError("hr service down"),
                                   OperationalError("SELECT 1", {}, Exception("database is locked"))])
def test_transient_failure_is_raised_not_dead_lettered(sqlite_db, error):
    def unavailable(session, message, envelope):
        raise error

    harness = Harness(sqlite_db, {TYPE: unavailable})
    with pytest.raises(type(error)):
        harness.processor.process(event_record("x"))
    assert harness.dead == []


def test_event_type_without_handler_is_skipped_and_recorded(sqlite_db):
    harness = Harness(sqlite_db)
    record = event_record("x", type_name="esis.other.v1.NotOurs", value=b"\xff\xff")
    assert harness.processor.process(record) is Outcome.SKIPPED
    assert harness.processor.process(record) is Outcome.DUPLICATE
    assert harness.dead == [] and sqlite_db.effect_texts() == []


@pytest.mark.parametrize(("record", "error_type"), [
    (event_record("x", value=b"\xff\xff\xff"), "DecodeError"),
    (FakeRecord(TOPIC, 0, 3, b"k", b"", [("ce_id", b"e-1")]), "InvalidEnvelope"),
])
def test_poison_record_goes_to_dead_letter_at_once(sqlite_db, record, error_type):
    harness = Harness(sqlite_db)
    assert harness.processor.process(record) is Outcome.DEAD_LETTERED
    assert [type(e).__name__ for _, e in harness.dead] == [error_type] and harness.sleeps == []


def test_handled_type_that_cannot_be_resolved_is_dead_lettered(sqlite_db):
    harness = Harness(sqlite_db, {"esis.ghost.v1.Ghost": sqlite_db.record_effect})
    harness.processor.process(event_record("x", type_name="esis.ghost.v1.Ghost"))
    assert [type(e).__name__ for _, e in harness.dead] == ["UnknownEventType"]


def test_dead_letter_headers_keep_the_event_and_say_what_failed():
    record = event_record("x", event_id="e-9", offset=41)
    headers = dict(dead_letter_headers(record, KeyError("learner")))
    assert headers["ce_id"] == b"e-9"
    assert (headers["error_type"], headers["error"]) == (b"KeyError", b"'learner'")
    assert (headers["original_topic"], headers["original_partition"], headers["original_offset"]) == (
        TOPIC.encode(), b"0", b"41")


def test_dead_lettering_a_dead_letter_replaces_the_old_reason():
    first = event_record("x")
    again = FakeRecord(first.topic, 0, 0, first.key, first.value, dead_letter_headers(first, ValueError("a")))
    names = [name for name, _ in dead_letter_headers(again, ValueError("b"))]
    assert names.count("error") == 1


def test_a_dead_lettered_record_is_counted_once(sqlite_db):
    def explode(session, message, envelope):
        raise ValueError("no")

    harness = Harness(sqlite_db, {TYPE: explode}, max_retries=0)
    consumed, dead = CONSUMED.labels("g", TOPIC, "dead_lettered"), DLQ_COUNT.labels("g", TOPIC)
    before = (consumed._value.get(), dead._value.get())
    harness.processor.process(event_record("x"))
    assert (consumed._value.get(), dead._value.get()) == (before[0] + 1, before[1] + 1)
