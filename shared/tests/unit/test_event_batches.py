"""A polled batch is one transaction; a failing record is isolated by its savepoint, the others keep their effects."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from esis_shared.consumer import PROCESSED, EventConsumer, EventProcessor, Outcome, default_resolver
from esis_shared.kafka import Envelope, publish
from esis_shared.testing.fake_kafka import FakeBroker, FakeRecord
from google.protobuf.wrappers_pb2 import StringValue
from kafka.structs import TopicPartition
from sqlalchemy import event, select

TOPIC = "test.batches.v1"
TYPE = StringValue.DESCRIPTOR.full_name


@pytest.fixture
def broker() -> FakeBroker:
    fake = FakeBroker()
    fake.create_topic(TOPIC, partitions=2)
    return fake


def send(broker: FakeBroker, text: str, *, key: str = "k", event_id: str | None = None,
         value: bytes | None = None) -> Envelope:
    envelope = Envelope(id=event_id or str(uuid.uuid4()), type=TYPE, source="test", time=datetime.now(UTC), key=key,
                        topic=TOPIC, value=StringValue(value=text).SerializeToString() if value is None else value)
    publish(broker.producer(), envelope)
    return envelope


def grading(db, calls: list[str] | None = None):
    def handle(session, message, envelope):
        if calls is not None:
            calls.append(message.value)
        db.record_effect(session, message, envelope)  # written, then undone by the savepoint when it fails
        if message.value.startswith("boom"):
            raise ValueError(f"{message.value} is not a grade")
    return handle


def make_consumer(broker, db, handler, max_retries=0) -> EventConsumer:
    return EventConsumer(bootstrap="fake", group_id="g", topics=[TOPIC], session_factory=db.sessions,
                         handlers={TYPE: handler}, max_retries=max_retries, retry_backoff_s=0,
                         client=broker.consumer("g"), dlq_producer=broker.producer())


def commits(db) -> list[int]:
    counted = [0]
    event.listen(db.engine, "commit", lambda _conn: counted.__setitem__(0, counted[0] + 1))
    return counted


def processed_ids(db) -> set[str]:
    with db.engine.connect() as conn:
        return set(conn.execute(select(PROCESSED.c.event_id)).scalars())


def test_a_polled_batch_is_committed_in_one_transaction(broker, sqlite_db):
    for i in range(6):
        send(broker, f"mark-{i}", key=f"pupil-{i % 3}")
    consumer = make_consumer(broker, sqlite_db, sqlite_db.record_effect)
    counted = commits(sqlite_db)
    assert consumer.poll_once() == 6
    assert counted == [1] and len(sqlite_db.effect_texts()) == 6


def test_a_failing_record_is_dead_lettered_alone_and_the_others_keep_their_effects(broker, sqlite_db):
    calls: list[str] = []
    for text in ("a", "boom", "c"):
        send(broker, text)
    consumer = make_consumer(broker, sqlite_db, grading(sqlite_db, calls), max_retries=2)
    assert consumer.poll_once() == 3
    assert sqlite_db.effect_texts() == ["a", "c"]
    assert calls.count("boom") == 3 and calls[-1] == "c"  # "a" may run again: the batch is redone with savepoints
    [dead] = broker.records(TOPIC + ".dlq")
    assert dict(dead.headers)["error"] == b"boom is not a grade"
    partition = broker.records(TOPIC)[0].partition
    assert broker.committed[("g", TopicPartition(TOPIC, partition))] == 3


def test_a_dead_lettered_event_keeps_no_processed_row_so_a_replay_is_handled(broker, sqlite_db):
    failing = send(broker, "boom")
    ok = send(broker, "fine")
    make_consumer(broker, sqlite_db, grading(sqlite_db)).poll_once()
    assert processed_ids(sqlite_db) == {ok.id}
    processor = EventProcessor(group_id="g", session_factory=sqlite_db.sessions,
                               handlers={TYPE: sqlite_db.record_effect}, resolve=default_resolver,
                               dead_letter=lambda r, e: None)
    [dead] = broker.records(TOPIC + ".dlq")
    assert processor.process(dead) is Outcome.PROCESSED  # the fixed handler replays it from the DLQ
    assert processed_ids(sqlite_db) == {ok.id, failing.id}


def test_an_event_twice_in_one_batch_and_one_seen_before_have_one_effect_each(broker, sqlite_db):
    seen = send(broker, "earlier")
    make_consumer(broker, sqlite_db, sqlite_db.record_effect).poll_once()
    twice = send(broker, "twice")
    send(broker, "twice", event_id=twice.id)
    send(broker, "earlier", event_id=seen.id)
    consumer = make_consumer(broker, sqlite_db, sqlite_db.record_effect)
    processor = consumer.processor
    records = [r for r in broker.records(TOPIC) if r.offset >= 1]
    result = processor.process_batch(records)
    assert result.error is None
    assert result.outcomes == [Outcome.PROCESSED, Outcome.DUPLICATE, Outcome.DUPLICATE]
    assert sqlite_db.effect_texts() == ["earlier", "twice"]


def test_records_of_each_partition_are_handled_in_their_order(broker, sqlite_db):
    for i in range(8):
        send(broker, f"pupil-{i % 2}:{i}", key=f"pupil-{i % 2}")
    consumer = make_consumer(broker, sqlite_db, sqlite_db.record_effect)
    consumer.poll_once()
    effects = sqlite_db.effect_texts()
    for key in ("pupil-0", "pupil-1"):
        mine = [int(t.split(":")[1]) for t in effects if t.startswith(key)]
        assert mine == sorted(mine) and len(mine) == 4


def test_a_stopped_batch_gives_back_the_claims_of_records_it_did_not_reach(broker, sqlite_db):
    for text in ("a", "", "c"):
        send(broker, text, value=b"\xff\xff\xff" if not text else None)
    dlq = broker.producer()
    dlq.fail_with = TimeoutError("dlq unreachable")
    consumer = EventConsumer(bootstrap="fake", group_id="g", topics=[TOPIC], session_factory=sqlite_db.sessions,
                             handlers={TYPE: sqlite_db.record_effect}, max_retries=0, client=broker.consumer("g"),
                             dlq_producer=dlq)
    with pytest.raises(TimeoutError):
        consumer.poll_once()
    assert sqlite_db.effect_texts() == ["a"] and len(processed_ids(sqlite_db)) == 1
    dlq.fail_with = None
    consumer.poll_once()
    assert sqlite_db.effect_texts() == ["a", "c"] and len(broker.records(TOPIC + ".dlq")) == 1


def test_process_still_takes_one_record(sqlite_db):
    envelope = Envelope(id="e-1", type=TYPE, source="test", time=datetime.now(UTC), key="k",
                        value=StringValue(value="solo").SerializeToString())
    record = FakeRecord(TOPIC, 0, 0, b"k", envelope.value, envelope.headers())
    processor = EventProcessor(group_id="g", session_factory=sqlite_db.sessions,
                               handlers={TYPE: sqlite_db.record_effect}, resolve=default_resolver,
                               dead_letter=lambda r, e: None)
    assert [processor.process(record), processor.process(record)] == [Outcome.PROCESSED, Outcome.DUPLICATE]


def batch_recorder(db, calls: list[list[str]]):
    def handle_many(session, pairs):
        calls.append([message.value for message, _ in pairs])
        for message, envelope in pairs:
            db.record_effect(session, message, envelope)
            if message.value.startswith("boom"):
                raise ValueError(f"{message.value} is not a grade")
    return handle_many


def batch_consumer(broker, db, handle_many, max_retries=0) -> EventConsumer:
    return EventConsumer(bootstrap="fake", group_id="g", topics=[TOPIC], session_factory=db.sessions, handlers={},
                         batch_handlers={TYPE: handle_many}, max_retries=max_retries, retry_backoff_s=0,
                         client=broker.consumer("g"), dlq_producer=broker.producer())


def test_a_batch_handler_gets_the_new_records_of_a_batch_in_one_call(broker, sqlite_db):
    seen = send(broker, "earlier")
    calls: list[list[str]] = []
    batch_consumer(broker, sqlite_db, batch_recorder(sqlite_db, calls)).poll_once()
    again = send(broker, "a")
    send(broker, "a", event_id=again.id)
    send(broker, "earlier", event_id=seen.id)
    send(broker, "b")
    consumer = batch_consumer(broker, sqlite_db, batch_recorder(sqlite_db, calls))
    assert consumer.poll_once() == 4
    assert calls == [["earlier"], ["a", "b"]]
    assert sqlite_db.effect_texts() == ["earlier", "a", "b"]


def test_a_failing_batch_handler_falls_back_to_one_record_at_a_time(broker, sqlite_db):
    calls: list[list[str]] = []
    for text in ("a", "boom", "c"):
        send(broker, text)
    consumer = batch_consumer(broker, sqlite_db, batch_recorder(sqlite_db, calls), max_retries=1)
    assert consumer.poll_once() == 3
    assert calls == [["a", "boom", "c"], ["a"], ["boom"], ["boom"], ["c"]]
    assert sqlite_db.effect_texts() == ["a", "c"]
    assert [dict(r.headers)["error"] for r in broker.records(TOPIC + ".dlq")] == [b"boom is not a grade"]


def test_a_type_cannot_have_both_kinds_of_handler(sqlite_db):
    with pytest.raises(ValueError, match="both|batch handler"):
        EventProcessor(group_id="g", session_factory=sqlite_db.sessions, handlers={TYPE: sqlite_db.record_effect},
                       batch_handlers={TYPE: lambda session, pairs: None}, resolve=default_resolver,
                       dead_letter=lambda r, e: None)
