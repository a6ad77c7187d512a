"""Idempotent Kafka event consumer with retries and a dead-letter topic.

``EventProcessor`` decides what happens to one record (no Kafka client, so unit tests drive it with
fakes); ``EventConsumer`` feeds it from kafka-python and commits offsets only after the effects of the
processed records are committed in the database. Delivery is at-least-once; the ``processed_events``
row written in the handler's transaction turns redeliveries into no-ops.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

from google.protobuf import descriptor_pool, message_factory
from google.protobuf.message import DecodeError, Message
from kafka import KafkaConsumer
from kafka.errors import CommitFailedError
from kafka.structs import OffsetAndMetadata, TopicPartition
from opentelemetry import trace
from sqlalchemy import column, exists, insert, select, table
from sqlalchemy.exc import IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from esis_shared.db import transaction
from esis_shared.kafka import Envelope, Headers, InvalidEnvelope, RecordLike, dlq_topic, make_producer
from esis_shared.metrics import CONSUMED, CONSUMER_LAG, DLQ_COUNT
from esis_shared.tracing import context_from_traceparent

log = logging.getLogger(__name__)
tracer = trace.get_tracer(__name__)
Handler = Callable[[Session, Message, Envelope], None]
Resolver = Callable[[str], type[Message]]
DeadLetter = Callable[[RecordLike, BaseException], None]
PROCESSED = table("processed_events", column("consumer"), column("event_id"), column("processed_at"))
DLQ_HEADERS = ("error", "error_type", "original_topic", "original_partition", "original_offset")


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


class EventProcessor:
    """What happens to one record: decode, deduplicate, handle with retries, or dead-letter."""

    def __init__(self, *, group_id: str, session_factory: sessionmaker[Session], handlers: dict[str, Handler],
                 resolve: Resolver, dead_letter: DeadLetter, max_retries: int = 3, retry_backoff_s: float = 0.2,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.group_id = group_id
        self._sessions = session_factory
        self._handlers = handlers
        self._resolve = resolve
        self._dead_letter_sink = dead_letter
        self.max_retries = max_retries
        self.retry_backoff_s = retry_backoff_s
        self._sleep = sleep

    def process(self, record: RecordLike) -> Outcome:
        try:
            envelope = Envelope.from_record(record)
            handler = self._handlers.get(envelope.type)
            message = self._decode(envelope) if handler else None
        except (InvalidEnvelope, UnknownEventType, DecodeError) as exc:
            outcome = self._dead_letter(record, exc)
        else:
            outcome = self._handle(record, envelope, handler, message)
        CONSUMED.labels(self.group_id, record.topic, outcome.value).inc()
        return outcome

    def _decode(self, envelope: Envelope) -> Message:
        message = self._resolve(envelope.type)()
        message.ParseFromString(envelope.value)
        return message

    def _handle(self, record: RecordLike, envelope: Envelope, handler: Handler | None,
                message: Message | None) -> Outcome:
        if handler is None:  # a type this group does not care about (e.g. added later to the topic)
            return self._apply(envelope, None, None, Outcome.SKIPPED)
        with self._span(envelope):
            return self._handle_with_retries(record, envelope, handler, message)

    def _handle_with_retries(self, record: RecordLike, envelope: Envelope, handler: Handler,
                             message: Message | None) -> Outcome:
        for attempt in range(1, self.max_retries + 2):
            try:
                return self._apply(envelope, handler, message, Outcome.PROCESSED)
            except TRANSIENT:
                raise
            except Exception as exc:
                error = exc
                log.warning("handler for %s %s failed (attempt %d)", envelope.type, envelope.id, attempt,
                            exc_info=True)
                if attempt <= self.max_retries:
                    self._sleep(self.retry_backoff_s * attempt)
        trace.get_current_span().record_exception(error)
        return self._dead_letter(record, error)

    def _apply(self, envelope: Envelope, handler: Handler | None, message: Message | None,
               outcome: Outcome) -> Outcome:
        try:
            with transaction(self._sessions) as session:
                if self._already_processed(session, envelope.id):
                    return Outcome.DUPLICATE
                # Insert first: a concurrent delivery of the same event waits on (or fails at) the primary key.
                session.execute(insert(PROCESSED).values(consumer=self.group_id, event_id=envelope.id,
                                                         processed_at=datetime.now(UTC)))
                if handler is not None:
                    handler(session, message, envelope)
        except IntegrityError:
            if self._seen_by_other_delivery(envelope.id):
                return Outcome.DUPLICATE
            raise
        return outcome

    def _already_processed(self, session: Session, event_id: str) -> bool:
        query = select(exists().where(PROCESSED.c.consumer == self.group_id, PROCESSED.c.event_id == event_id))
        return bool(session.execute(query).scalar())

    def _seen_by_other_delivery(self, event_id: str) -> bool:
        with transaction(self._sessions) as session:
            return self._already_processed(session, event_id)

    def _dead_letter(self, record: RecordLike, error: BaseException) -> Outcome:
        self._dead_letter_sink(record, error)
        DLQ_COUNT.labels(self.group_id, record.topic).inc()
        log.warning("record %s/%s@%s dead-lettered: %s: %s", record.topic, record.partition, record.offset,
                    type(error).__name__, error)
        return Outcome.DEAD_LETTERED

    @contextmanager
    def _span(self, envelope: Envelope) -> Iterator[None]:
        attributes = {"messaging.system": "kafka", "messaging.destination.name": envelope.topic or "",
                      "messaging.consumer.group.name": self.group_id, "messaging.message.id": envelope.id,
                      "cloudevents.event_type": envelope.type}
        with tracer.start_as_current_span(f"process {envelope.topic}", context=context_from_traceparent(
                envelope.traceparent), kind=trace.SpanKind.CONSUMER, attributes=attributes):
            yield


class EventConsumer:
    """kafka-python driver: poll, process in partition order, commit offsets after the effects."""

    def __init__(self, *, bootstrap: str, group_id: str, topics: Sequence[str],
                 session_factory: sessionmaker[Session], handlers: dict[str, Handler],
                 resolve: Resolver = default_resolver, max_retries: int = 3, retry_backoff_s: float = 0.2,
                 dlq_producer: Any | None = None, session_timeout_ms: int = 6000, heartbeat_interval_ms: int = 2000,
                 max_poll_records: int = 200, client: Any | None = None) -> None:
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
                                        max_retries=max_retries, retry_backoff_s=retry_backoff_s)

    def poll_once(self, timeout_ms: int = 1000) -> int:
        """Process one polled batch; returns the number of records handled (any outcome)."""
        batch = self._client.poll(timeout_ms=timeout_ms)
        done: dict[TopicPartition, int] = {}
        try:
            for partition, records in batch.items():
                for record in records:
                    self.processor.process(record)
                    done[partition] = record.offset + 1
        except Exception:
            self._rewind(batch, done)
            raise
        finally:
            self._commit(done)
        self._record_lag(done)
        return sum(len(records) for records in batch.values())

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
