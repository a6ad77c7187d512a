"""Idempotent Kafka event consumer with retries and a dead-letter topic.

``EventProcessor`` decides what happens to the records of one polled batch (no Kafka client, so unit tests
drive it with fakes); ``EventConsumer`` feeds it from kafka-python and commits offsets only after the effects
of the processed records are committed in the database. Delivery is at-least-once; the ``processed_events``
row written in the handlers' transaction turns redeliveries into no-ops.

A batch is one database transaction:

1. one ``INSERT … ON CONFLICT DO NOTHING RETURNING`` claims the batch's event ids in ``processed_events``:
   the ids it returns are new, the others were processed before (a concurrent delivery of the same event
   waits on the primary key, as it did when each event had its own transaction);
2. the claimed records' handlers run in partition order;
3. one commit.

Handlers first run without savepoints (a savepoint costs two more round trips per record, which on a busy
database server costs more than the handler's own statement). When a handler fails, that transaction is rolled
back and the batch runs again with a SAVEPOINT per record: the failing record is rolled back to its savepoint
and retried (its first failure counts as its first attempt), then dead-lettered with its claim withdrawn, while
the others keep their effects. Handlers of the records before it therefore run twice (their first effects were
rolled back): like a redelivery, which at-least-once delivery already requires them to tolerate.

A transient failure (or a dead letter that cannot be written) stops the batch: the records before it are
committed, the claims of the others are withdrawn, and the error is raised so they are retried later.
A batch holding an undecodable record runs with savepoints from the start, so its dead letter is sent once.

``batch_handlers`` (optional, per event type) take a run of consecutive new records of their type at once,
``(session, [(message, envelope), ...])`` in order, so a projection can write a whole batch with one statement
instead of one round trip per event. They must have the effect of handling the records one by one: when the
batch has to be handled carefully, a batch handler is called with one record at a time, each in its savepoint.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from google.protobuf import descriptor_pool, message_factory
from google.protobuf.message import DecodeError, Message
from kafka import KafkaConsumer
from kafka.errors import CommitFailedError
from kafka.structs import OffsetAndMetadata, TopicPartition
from opentelemetry import trace
from sqlalchemy import column, delete, table, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from esis_shared.kafka import Envelope, Headers, InvalidEnvelope, RecordLike, dlq_topic, make_producer
from esis_shared.metrics import CONSUMED, CONSUMER_LAG, DLQ_COUNT
from esis_shared.tracing import context_from_traceparent

log = logging.getLogger(__name__)
tracer = trace.get_tracer(__name__)
Handler = Callable[[Session, Message, Envelope], None]
# Gets consecutive records of its type from one batch, in order; must have the effect of handling them one by one.
BatchHandler = Callable[[Session, Sequence[tuple[Message, Envelope]]], None]
Resolver = Callable[[str], type[Message]]
DeadLetter = Callable[[RecordLike, BaseException], None]
PROCESSED = table("processed_events", column("consumer"), column("event_id"), column("processed_at"))
DLQ_HEADERS = ("error", "error_type", "original_topic", "original_partition", "original_offset")
# Claims: ON CONFLICT DO NOTHING … RETURNING gives back only the ids that were new (PostgreSQL and SQLite ≥ 3.35).
_CLAIM_POSTGRESQL = text(
    "INSERT INTO processed_events (consumer, event_id, processed_at) "
    "SELECT :consumer, unnest(CAST(:ids AS varchar[])), :now ON CONFLICT DO NOTHING RETURNING event_id")
_CLAIM_SQLITE = sqlite.insert(PROCESSED).on_conflict_do_nothing().returning(PROCESSED.c.event_id)


class Outcome(StrEnum):
    PROCESSED = "processed"
    DUPLICATE = "duplicate"
    SKIPPED = "skipped"
    DEAD_LETTERED = "dead_lettered"


class UnknownEventType(LookupError):
    """``ce_type`` names a message this process cannot decode."""


class TransientError(Exception):
    """Raised by a handler when retrying later may succeed (a dependency is down): never dead-lettered."""


# A database outage is not the event's fault: stall and retry instead of dead-lettering the stream.
TRANSIENT = (TransientError, OperationalError, InterfaceError)
_POISON = (InvalidEnvelope, UnknownEventType, DecodeError)


def default_resolver(type_name: str) -> type[Message]:
    """Message class for a protobuf full name from the default pool (generated modules must be imported)."""
    try:
        return message_factory.GetMessageClass(descriptor_pool.Default().FindMessageTypeByName(type_name))
    except KeyError as exc:
        raise UnknownEventType(type_name) from exc


def dead_letter_headers(record: RecordLike, error: BaseException) -> Headers:
    """The record's own headers plus why and where it failed (earlier DLQ headers are replaced)."""
    kept = [(name, value) for name, value in record.headers or () if name not in DLQ_HEADERS]
    reason = [("error", str(error)[:2000] or repr(error)), ("error_type", type(error).__name__),
              ("original_topic", record.topic), ("original_partition", str(record.partition)),
              ("original_offset", str(record.offset))]
    return kept + [(name, value.encode()) for name, value in reason]


def send_dead_letter(producer: Any, record: RecordLike, error: BaseException, timeout_s: float = 30.0) -> None:
    """Synchronously copy ``record`` to ``<topic>.dlq``: its offset may be committed only after this returns."""
    future = producer.send(dlq_topic(record.topic), key=record.key, value=record.value,
                           headers=dead_letter_headers(record, error))
    future.get(timeout=timeout_s)


@dataclass
class BatchResult:
    """What became of a batch: ``outcomes`` of the records done (committed), a prefix of the batch in its
    order; ``error`` is why the record after them was not done (``None`` when the whole batch was)."""

    outcomes: list[Outcome] = field(default_factory=list)
    error: BaseException | None = None


@dataclass
class _Item:
    record: RecordLike
    envelope: Envelope | None = None
    handler: Handler | None = None
    message: Message | None = None
    group: BatchHandler | None = None  # set when the type has a batch handler (``handler`` then wraps it)
    error: BaseException | None = None  # why it cannot be handled (poison) or was not


class _HandlerFailed(Exception):
    """A handler failed on the fast path (no savepoints): the batch's transaction must be rolled back.

    ``counted``: the failure was one record's own attempt (not a batch handler's, which covers several).
    """

    def __init__(self, index: int, error: Exception, *, counted: bool = True) -> None:
        super().__init__(str(error))
        self.index = index
        self.error = error
        self.counted = counted


class EventProcessor:
    """What happens to the records of a batch: decode, deduplicate, handle with retries, or dead-letter."""

    def __init__(self, *, group_id: str, session_factory: sessionmaker[Session], handlers: dict[str, Handler],
                 resolve: Resolver, dead_letter: DeadLetter, max_retries: int = 3, retry_backoff_s: float = 0.2,
                 sleep: Callable[[float], None] = time.sleep,
                 batch_handlers: dict[str, BatchHandler] | None = None) -> None:
        both = set(handlers) & set(batch_handlers or {})
        if both:
            raise ValueError(f"event types with a handler and a batch handler: {sorted(both)}")
        self.group_id = group_id
        self._sessions = session_factory
        self._handlers: dict[str, Handler] = dict(handlers)
        self._groups: dict[str, BatchHandler] = dict(batch_handlers or {})
        for type_name, many in self._groups.items():
            self._handlers[type_name] = _one_by_one(many)
        self._resolve = resolve
        self._dead_letter_sink = dead_letter
        self.max_retries = max_retries
        self.retry_backoff_s = retry_backoff_s
        self._sleep = sleep

    def process(self, record: RecordLike) -> Outcome:
        """One record in its own transaction; raises what stopped it (a transient error, an unwritable DLQ)."""
        result = self.process_batch([record])
        if result.error is not None:
            raise result.error
        return result.outcomes[0]

    def process_batch(self, records: Sequence[RecordLike]) -> BatchResult:
        """Handle ``records`` in their order in one transaction; see the module docstring."""
        items = [self._prepare(record) for record in records]
        careful = any(item.envelope is None for item in items)
        result = self._run(items, careful=careful, failed_once=None)
        self._count(items, result.outcomes)
        return result

    def _run(self, items: list[_Item], *, careful: bool, failed_once: int | None) -> BatchResult:
        result, failure = BatchResult(), None
        session = self._sessions()
        try:
            _Batch(self, session, items, careful=careful, failed_once=failed_once).run(result)
            session.commit()
        except _HandlerFailed as exc:
            session.rollback()
            failure = exc
        except BaseException as exc:
            session.rollback()
            if not isinstance(exc, Exception):
                raise
            return BatchResult([], exc)  # nothing of the batch is committed: all of it is redelivered
        finally:
            session.close()
        return result if failure is None else self._after_failure(items, failure)

    def _after_failure(self, items: list[_Item], failure: _HandlerFailed) -> BatchResult:
        """A handler failed on the fast path: commit what came before a transient failure, else go carefully."""
        if isinstance(failure.error, TRANSIENT):
            done = self._run(items[:failure.index], careful=False, failed_once=None)
            return BatchResult(done.outcomes, done.error or failure.error)
        if not failure.counted:  # a batch handler failed: every record of its group gets all its attempts
            return self._run(items, careful=True, failed_once=None)
        items[failure.index].error = failure.error  # its first attempt, should it get no other
        return self._run(items, careful=True, failed_once=failure.index)

    def _prepare(self, record: RecordLike) -> _Item:
        try:
            envelope = Envelope.from_record(record)
            handler = self._handlers.get(envelope.type)
            message = self._decode(envelope) if handler else None
        except _POISON as exc:
            return _Item(record, error=exc)
        return _Item(record, envelope, handler, message, self._groups.get(envelope.type))

    def _decode(self, envelope: Envelope) -> Message:
        message = self._resolve(envelope.type)()
        message.ParseFromString(envelope.value)
        return message

    def _count(self, items: list[_Item], outcomes: list[Outcome]) -> None:
        counts = Counter((item.record.topic, outcome.value) for item, outcome in zip(items, outcomes, strict=False))
        for (topic, outcome), n in counts.items():
            CONSUMED.labels(self.group_id, topic, outcome).inc(n)

    # ------------------------------------------------------------ used by _Batch

    def claim(self, session: Session, event_ids: Sequence[str]) -> set[str]:
        """Insert processed rows for ``event_ids``; returns the ids that were not there (this batch's to handle)."""
        if not event_ids:
            return set()
        now = datetime.now(UTC)
        dialect = session.get_bind().dialect.name
        if dialect == "postgresql":  # one array parameter: no statement grows with the batch
            params = {"consumer": self.group_id, "ids": list(event_ids), "now": now}
            return set(session.execute(_CLAIM_POSTGRESQL, params).scalars())
        if dialect != "sqlite":
            raise NotImplementedError(f"esis_shared.consumer needs PostgreSQL or SQLite, not {dialect}")
        rows = [{"consumer": self.group_id, "event_id": event_id, "processed_at": now} for event_id in event_ids]
        return set(session.execute(_CLAIM_SQLITE, rows).scalars())

    def unclaim(self, session: Session, event_ids: set[str]) -> None:
        if event_ids:
            session.execute(delete(PROCESSED).where(PROCESSED.c.consumer == self.group_id,
                                                    PROCESSED.c.event_id.in_(sorted(event_ids))))

    def handle(self, session: Session, item: _Item, *, careful: bool, first_attempt: int = 1) -> bool:
        """Run the handler; False when it kept failing (dead-letter it).

        Fast path (``careful=False``): no savepoint, and any failure raises ``_HandlerFailed``. Careful path: a
        savepoint per attempt, up to ``max_retries`` retries; transient errors are raised as they are.
        """
        assert item.envelope is not None and item.handler is not None
        envelope = item.envelope
        with self._span(envelope):
            if not careful:
                try:
                    item.handler(session, item.message, envelope)  # type: ignore[arg-type]
                    return True
                except Exception as exc:
                    if not isinstance(exc, TRANSIENT):
                        self._log_failure(envelope, 1)
                    raise _HandlerFailed(-1, exc) from exc
            error: Exception | None = None
            for attempt in range(first_attempt, self.max_retries + 2):
                if attempt > 1:
                    self._sleep(self.retry_backoff_s * (attempt - 1))
                try:
                    with session.begin_nested():
                        item.handler(session, item.message, envelope)  # type: ignore[arg-type]
                    return True
                except TRANSIENT:
                    raise
                except Exception as exc:
                    error = exc
                    self._log_failure(envelope, attempt)
            item.error = error or item.error
            trace.get_current_span().record_exception(item.error)  # type: ignore[arg-type]
        return False

    def _log_failure(self, envelope: Envelope, attempt: int) -> None:
        log.warning("handler for %s %s failed (attempt %d)", envelope.type, envelope.id, attempt, exc_info=True)

    def handle_group(self, session: Session, group: BatchHandler, items: list[_Item]) -> None:
        """Fast path of a batch handler: one call for consecutive records of its type; raises ``_HandlerFailed``."""
        pairs = [(item.message, item.envelope) for item in items]
        with self._batch_span(items):
            try:
                group(session, pairs)  # type: ignore[arg-type]
            except Exception as exc:
                if not isinstance(exc, TRANSIENT):
                    log.warning("batch handler for %d × %s failed; handling them one by one", len(items),
                                items[0].envelope.type if items[0].envelope else "?", exc_info=True)
                raise _HandlerFailed(-1, exc, counted=False) from exc

    def dead_letter(self, record: RecordLike, error: BaseException) -> Outcome:
        self._dead_letter_sink(record, error)
        DLQ_COUNT.labels(self.group_id, record.topic).inc()
        log.warning("record %s/%s@%s dead-lettered: %s: %s", record.topic, record.partition, record.offset,
                    type(error).__name__, error)
        return Outcome.DEAD_LETTERED

    @contextmanager
    def _batch_span(self, items: list[_Item]) -> Iterator[None]:
        """One CONSUMER span for a batch handler's call, linked to the trace of each record (OTel batch style)."""
        first = items[0].envelope
        assert first is not None
        links = []
        for item in items:
            parent = trace.get_current_span(context_from_traceparent(item.envelope.traceparent)) if (
                item.envelope and item.envelope.traceparent) else None
            if parent is not None and parent.get_span_context().is_valid:
                links.append(trace.Link(parent.get_span_context()))
        attributes = {"messaging.system": "kafka", "messaging.destination.name": first.topic or "",
                      "messaging.consumer.group.name": self.group_id, "cloudevents.event_type": first.type,
                      "messaging.batch.message_count": len(items)}
        with tracer.start_as_current_span(f"process {first.topic}", kind=trace.SpanKind.CONSUMER, links=links,
                                          attributes=attributes):
            yield

    @contextmanager
    def _span(self, envelope: Envelope) -> Iterator[None]:
        attributes = {"messaging.system": "kafka", "messaging.destination.name": envelope.topic or "",
                      "messaging.consumer.group.name": self.group_id, "messaging.message.id": envelope.id,
                      "cloudevents.event_type": envelope.type}
        with tracer.start_as_current_span(f"process {envelope.topic}", context=context_from_traceparent(
                envelope.traceparent), kind=trace.SpanKind.CONSUMER, attributes=attributes):
            yield


def _one_by_one(many: BatchHandler) -> Handler:
    def handle(session: Session, message: Message, envelope: Envelope) -> None:
        many(session, [(message, envelope)])
    return handle


class _Batch:
    """One batch inside its transaction: claims, the records in order, and withdrawal of unused claims."""

    def __init__(self, processor: EventProcessor, session: Session, items: list[_Item], *, careful: bool,
                 failed_once: int | None) -> None:
        self.processor = processor
        self.session = session
        self.items = items
        self.careful = careful
        self.failed_once = failed_once     # index of the record whose first attempt failed on the fast path
        self.claimed: set[str] = set()      # claimed by this batch and not handled yet
        self.dead: set[str] = set()         # dead-lettered in this batch: a repeat later in it is handled again

    def run(self, result: BatchResult) -> None:
        ids = [item.envelope.id for item in self.items if item.envelope is not None]
        self.claimed = self.processor.claim(self.session, list(dict.fromkeys(ids)))
        index = 0
        while index < len(self.items):
            item = self.items[index]
            try:
                if item.group is not None and not self.careful and item.envelope is not None:
                    outcomes = self._group(index)
                else:
                    outcomes = [self._one(index, item)]
            except _HandlerFailed as failure:
                failure.index = index
                raise
            except Exception as exc:
                result.error = exc
                break
            result.outcomes.extend(outcomes)
            index += len(outcomes)
        # Records not handled (after a stop) give their claims back, so their redelivery handles them.
        try:
            self.processor.unclaim(self.session, self.claimed)
        except Exception:
            if result.error is not None:
                raise result.error from None  # the database went away: report why the batch stopped
            raise

    def _group(self, start: int) -> list[Outcome]:
        """The run of records from ``start`` that share its batch handler: one call for the new ones among them."""
        group = self.items[start].group
        run: list[_Item] = []
        for item in self.items[start:]:
            if item.group is not group or item.envelope is None:
                break
            run.append(item)
        fresh: list[_Item] = []
        ids: set[str] = set()
        for item in run:  # the first delivery of each new event; repeats in the run are duplicates
            event_id = item.envelope.id  # type: ignore[union-attr]
            if event_id in self.claimed and event_id not in ids:
                fresh.append(item)
                ids.add(event_id)
        if fresh:
            assert group is not None
            self.processor.handle_group(self.session, group, fresh)
        outcomes = []
        for item in run:
            event_id = item.envelope.id  # type: ignore[union-attr]
            outcomes.append(Outcome.PROCESSED if event_id in self.claimed else Outcome.DUPLICATE)
            self.claimed.discard(event_id)
        return outcomes

    def _one(self, index: int, item: _Item) -> Outcome:
        processor, envelope = self.processor, item.envelope
        if envelope is None:
            assert item.error is not None
            return processor.dead_letter(item.record, item.error)
        if envelope.id not in self.claimed:
            if envelope.id not in self.dead:
                return Outcome.DUPLICATE
            self.dead.discard(envelope.id)
            self.claimed |= processor.claim(self.session, [envelope.id])
        if item.handler is None:  # a type this group does not care about (e.g. added later to the topic)
            self.claimed.discard(envelope.id)
            return Outcome.SKIPPED
        first = 2 if index == self.failed_once else 1
        if processor.handle(self.session, item, careful=self.careful, first_attempt=first):
            self.claimed.discard(envelope.id)
            return Outcome.PROCESSED
        # Dead-lettered events get no processed row: replaying them from the DLQ must handle them.
        processor.unclaim(self.session, {envelope.id})
        self.claimed.discard(envelope.id)
        self.dead.add(envelope.id)
        assert item.error is not None
        return processor.dead_letter(item.record, item.error)


class EventConsumer:
    """kafka-python driver: poll, process each batch in one transaction, commit offsets after the effects."""

    def __init__(self, *, bootstrap: str, group_id: str, topics: Sequence[str],
                 session_factory: sessionmaker[Session], handlers: dict[str, Handler],
                 resolve: Resolver = default_resolver, max_retries: int = 3, retry_backoff_s: float = 0.2,
                 dlq_producer: Any | None = None, session_timeout_ms: int = 6000, heartbeat_interval_ms: int = 2000,
                 max_poll_records: int = 500, client: Any | None = None,
                 batch_handlers: dict[str, BatchHandler] | None = None) -> None:
        self.group_id = group_id
        self.bootstrap = bootstrap
        self._dlq_producer = dlq_producer
        self._owns_dlq_producer = dlq_producer is None
        self._client = client or KafkaConsumer(
            bootstrap_servers=bootstrap, group_id=group_id, enable_auto_commit=False,
            auto_offset_reset="earliest", session_timeout_ms=session_timeout_ms,
            heartbeat_interval_ms=heartbeat_interval_ms, max_poll_records=max_poll_records,
            client_id=f"esis-{group_id}")
        self._client.subscribe(list(topics))
        self.processor = EventProcessor(group_id=group_id, session_factory=session_factory, handlers=handlers,
                                        resolve=resolve, dead_letter=self._send_dead_letter,
                                        max_retries=max_retries, retry_backoff_s=retry_backoff_s,
                                        batch_handlers=batch_handlers)

    def poll_once(self, timeout_ms: int = 1000) -> int:
        """Process one polled batch; returns the number of records handled (any outcome)."""
        batch = self._client.poll(timeout_ms=timeout_ms)
        ordered = [(tp, record) for tp, records in batch.items() for record in records]
        if not ordered:
            return 0
        result = self.processor.process_batch([record for _, record in ordered])
        done: dict[TopicPartition, int] = {}
        for (tp, record), _ in zip(ordered, result.outcomes, strict=False):
            done[tp] = record.offset + 1
        if result.error is not None:
            self._rewind(batch, done)
            self._commit(done)
            raise result.error
        self._commit(done)
        self._record_lag(done)
        return len(ordered)

    def run(self, stop: threading.Event, poll_timeout_ms: int = 500) -> None:
        """Consume until ``stop`` is set; a failing batch is retried from its first unprocessed record."""
        try:
            while not stop.is_set():
                try:
                    self.poll_once(poll_timeout_ms)
                except Exception:
                    log.exception("consumer %s: batch failed; retrying", self.group_id)
                    stop.wait(2.0)
        finally:
            self.close()

    def close(self) -> None:
        self._client.close()
        if self._owns_dlq_producer and self._dlq_producer is not None:
            self._dlq_producer.close()

    def _send_dead_letter(self, record: RecordLike, error: BaseException) -> None:
        if self._dlq_producer is None:
            self._dlq_producer = make_producer(self.bootstrap)
        send_dead_letter(self._dlq_producer, record, error)

    def _rewind(self, batch: dict[TopicPartition, list[Any]], done: dict[TopicPartition, int]) -> None:
        # The client's position is already past the whole batch; go back so nothing unprocessed is skipped.
        for partition, records in batch.items():
            if records:
                self._client.seek(partition, done.get(partition, records[0].offset))

    def _commit(self, done: dict[TopicPartition, int]) -> None:
        if not done:
            return
        try:
            self._client.commit({tp: OffsetAndMetadata(offset, "", -1) for tp, offset in done.items()})
        except CommitFailedError:
            # Partitions were reassigned: the new owner re-reads them and the processed table absorbs repeats.
            log.warning("consumer %s: offset commit failed after a rebalance", self.group_id)

    def _record_lag(self, done: dict[TopicPartition, int]) -> None:
        # highwater(), not end_offsets(): Tansu's end offsets point into the last batch (see INFRA.md).
        for tp, offset in done.items():
            highwater = self._client.highwater(tp)
            if highwater is not None:
                CONSUMER_LAG.labels(self.group_id, tp.topic, str(tp.partition)).set(max(highwater - offset, 0))
