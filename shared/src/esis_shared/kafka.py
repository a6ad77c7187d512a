"""Kafka plumbing with kafka-python: topics, producer, and the CloudEvents binary-mode envelope."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol

from google.protobuf.message import Message
from kafka import KafkaProducer
from kafka import errors as kafka_errors
from kafka.admin import KafkaAdminClient

from esis_shared.tracing import current_traceparent

DLQ_SUFFIX = ".dlq"
SPEC_VERSION = "1.0"
Headers = list[tuple[str, bytes]]


class InvalidEnvelope(ValueError):
    """A record lacks the CloudEvents headers every event must carry."""


class RecordLike(Protocol):
    """What we read from a consumed record (kafka-python's ``ConsumerRecord`` or a fake)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: Sequence[tuple[str, bytes]]


def dlq_topic(topic: str) -> str:
    return topic + DLQ_SUFFIX


def rfc3339(moment: datetime) -> str:
    # SQLite hands back naive datetimes; everything we store is UTC.
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


@dataclass(frozen=True)
class Envelope:
    """One event: CloudEvents attributes + Kafka coordinates; ``value`` is the serialized protobuf."""

    id: str
    type: str
    source: str
    time: datetime
    subject: str | None = None
    aimag: str | None = None
    traceparent: str | None = None
    key: str | None = None
    value: bytes = b""
    topic: str | None = None
    partition: int | None = None
    offset: int | None = None
    record_headers: tuple[tuple[str, bytes], ...] = field(default=(), compare=False)

    @classmethod
    def for_message(cls, message: Message, *, source: str, topic: str, key: str, subject: str | None = None,
                    aimag: str | None = None) -> Envelope:
        """A new event for ``message`` in the current trace (for publishers that bypass the outbox)."""
        return cls(id=str(uuid.uuid4()), type=message.DESCRIPTOR.full_name, source=source, time=datetime.now(UTC),
                   subject=subject if subject is not None else key, aimag=aimag, traceparent=current_traceparent(),
                   key=key, value=message.SerializeToString(), topic=topic)

    def headers(self) -> Headers:
        pairs = [("ce_specversion", SPEC_VERSION), ("ce_id", self.id), ("ce_type", self.type),
                 ("ce_source", self.source), ("ce_time", rfc3339(self.time)), ("ce_subject", self.subject),
                 ("traceparent", self.traceparent), ("aimag", self.aimag)]
        return [(name, value.encode()) for name, value in pairs if value]

    @classmethod
    def from_record(cls, record: RecordLike) -> Envelope:
        """Read a consumed record; raises :class:`InvalidEnvelope` if ``ce_id``/``ce_type``/``ce_time`` are bad."""
        headers = _decode_headers(record.headers)
        for required in ("ce_id", "ce_type"):
            if not headers.get(required):
                raise InvalidEnvelope(f"missing header {required}")
        return cls(id=headers["ce_id"], type=headers["ce_type"], source=headers.get("ce_source", ""),
                   time=_parse_time(headers.get("ce_time")), subject=headers.get("ce_subject"),
                   aimag=headers.get("aimag"), traceparent=headers.get("traceparent"),
                   key=record.key.decode("utf-8", "replace") if record.key is not None else None,
                   value=record.value or b"", topic=record.topic, partition=record.partition,
                   offset=record.offset, record_headers=tuple(record.headers or ()))


def _decode_headers(raw: Sequence[tuple[str, bytes]] | None) -> dict[str, str]:
    decoded: dict[str, str] = {}
    for name, value in raw or ():
        try:
            decoded[name] = value.decode("utf-8") if value is not None else ""
        except UnicodeDecodeError as exc:
            raise InvalidEnvelope(f"header {name} is not UTF-8") from exc
    return decoded


def _parse_time(value: str | None) -> datetime:
    if not value:
        raise InvalidEnvelope("missing header ce_time")
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise InvalidEnvelope(f"ce_time is not RFC 3339: {value!r}") from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def make_producer(bootstrap: str, **overrides: Any) -> KafkaProducer:
    """An idempotent, acks=all producer: retries cannot duplicate or reorder records within a partition."""
    config: dict[str, Any] = {
        "bootstrap_servers": bootstrap, "acks": "all", "enable_idempotence": True, "linger_ms": 5,
        "retries": 10, "request_timeout_ms": 10_000, "delivery_timeout_ms": 30_000, "client_id": "esis-producer",
    }
    config.update(overrides)
    return KafkaProducer(**config)


def make_relay_producer(bootstrap: str, **overrides: Any) -> KafkaProducer:
    """A producer for ``esis_shared.relay.OutboxRelay``: as :func:`make_producer`, with larger, lingering batches.

    The relay flushes after every batch it claims, so the linger never delays an event; it only lets
    kafka-python fill fewer, larger batches (fewer sender wake-ups per record: ≈ 15-35 % less CPU measured).
    Code that waits on each send (dead letters, direct publishers) keeps :func:`make_producer`.
    """
    return make_producer(bootstrap, **{"linger_ms": 50, "batch_size": 256 * 1024, **overrides})


def publish(producer: Any, envelope: Envelope) -> Any:
    """Send one event; returns the producer's future (``.get(timeout)`` raises if delivery failed)."""
    if not envelope.topic:
        raise ValueError(f"event {envelope.id} has no topic")
    key = envelope.key.encode() if envelope.key is not None else None
    return producer.send(envelope.topic, key=key, value=envelope.value, headers=envelope.headers())


def ensure_topics(bootstrap: str, topics: Iterable[tuple[str, int]], *, with_dlq: bool = True,
                  timeout_ms: int = 10_000) -> None:
    """Create topics explicitly (brokers auto-create with a default partition count); existing ones are kept."""
    wanted = {name: partitions for name, partitions in topics}
    if with_dlq:
        wanted.update({dlq_topic(name): 1 for name in list(wanted) if not name.endswith(DLQ_SUFFIX)})
    spec = {name: {"num_partitions": n, "replication_factor": 1} for name, n in wanted.items()}
    admin = KafkaAdminClient(bootstrap_servers=bootstrap, client_id="esis-admin")
    try:
        result = admin.create_topics(spec, timeout_ms=timeout_ms, raise_errors=False)
    finally:
        admin.close()
    _raise_unexpected_errors(result)


def _raise_unexpected_errors(result: dict[str, Any]) -> None:
    for topic in result.get("topics", []):
        error = kafka_errors.for_code(topic["error_code"])
        if error is not kafka_errors.NoError and error is not kafka_errors.TopicAlreadyExistsError:
            raise error(f"creating topic {topic['name']}: {topic.get('error_message')}")
