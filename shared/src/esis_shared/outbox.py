"""Transactional outbox: a handler stages events in the same transaction as its change.

The relay (``esis_shared.relay``) publishes staged rows to Kafka and marks them sent.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

from google.protobuf.message import Message
from sqlalchemy import (
    BigInteger,
    Column,
    DateTime,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    column,
    table,
)
from sqlalchemy.orm import Session

from esis_shared.db import insert_rows
from esis_shared.tracing import current_traceparent

BigIntId = BigInteger().with_variant(Integer(), "sqlite")


def outbox_tables(metadata: MetaData) -> tuple[Table, Table]:
    """Add the ``outbox`` and ``processed_events`` tables to a service's metadata (call once per service)."""
    outbox = Table(
        "outbox", metadata,
        Column("seq", BigIntId, primary_key=True, autoincrement=True),
        Column("event_id", String(36), nullable=False, unique=True),
        Column("topic", String(200), nullable=False),
        Column("key", String(200), nullable=False),
        Column("event_type", String(200), nullable=False),
        Column("source", String(100), nullable=False),
        Column("subject", String(200), nullable=True),
        Column("aimag", String(10), nullable=True),
        Column("traceparent", String(64), nullable=True),
        Column("occurred_at", DateTime(timezone=True), nullable=False),
        Column("payload", LargeBinary, nullable=False),
        Column("sent_at", DateTime(timezone=True), nullable=True),
        Index("ix_outbox_unsent", "sent_at", "seq"),
    )
    processed = Table(
        "processed_events", metadata,
        Column("consumer", String(100), primary_key=True),
        Column("event_id", String(64), primary_key=True),
        Column("processed_at", DateTime(timezone=True), nullable=False),
    )
    return outbox, processed


_OUTBOX = table("outbox", *(column(n) for n in (
    "event_id", "topic", "key", "event_type", "source", "subject", "aimag", "traceparent", "occurred_at", "payload")))


def stage_event(session: Session, *, topic: str, key: str, message: Message, source: str,
                subject: str | None = None, aimag: str | None = None) -> str:
    """Write one event row in the caller's transaction; returns the event id (CloudEvents ``id``)."""
    event_id = str(uuid.uuid4())
    session.execute(_OUTBOX.insert().values(
        event_id=event_id, topic=topic, key=key, event_type=message.DESCRIPTOR.full_name, source=source,
        subject=subject if subject is not None else key, aimag=aimag, traceparent=current_traceparent(),
        occurred_at=datetime.now(UTC), payload=message.SerializeToString(),
    ))
    return event_id


@dataclass(frozen=True)
class OutgoingEvent:
    """One event for :func:`stage_events` (the arguments of :func:`stage_event` but ``source``)."""

    topic: str
    key: str
    message: Message
    subject: str | None = None
    aimag: str | None = None


def stage_events(session: Session, events: Iterable[OutgoingEvent], *, source: str) -> list[str]:
    """Write many event rows in the caller's transaction at once (COPY on PostgreSQL; bulk paths).

    Rows get their ``seq`` in the given order, so the relay publishes them in that order. Returns the event ids.
    """
    traceparent, now = current_traceparent(), datetime.now(UTC)
    events = list(events)
    rows = [{"event_id": event_id, "topic": e.topic, "key": e.key,
             "event_type": e.message.DESCRIPTOR.full_name, "source": source,
             "subject": e.subject if e.subject is not None else e.key, "aimag": e.aimag, "traceparent": traceparent,
             "occurred_at": now, "payload": e.message.SerializeToString()}
            for e, event_id in zip(events, random_uuids(len(events)), strict=True)]
    insert_rows(session, _OUTBOX, rows)
    return [row["event_id"] for row in rows]


def grouped_by_type(events: Iterable[OutgoingEvent]) -> list[OutgoingEvent]:
    """The events of a bulk request reordered into runs of one type (in the order the types first appear), when
    that keeps every key's events in their order; otherwise unchanged.

    Per key (the partition key) the order is what consumers rely on, and it is kept; events of different keys have
    no order between them on the broker anyway. Long runs of one type let a consumer's batch handler take many
    events at once (interleaved, e.g. registered / enrolled / linked per learner, it gets runs of one).
    """
    events = list(events)
    rank: dict[str, int] = {}
    for event in events:
        rank.setdefault(event.message.DESCRIPTOR.full_name, len(rank))
    last: dict[str, int] = {}
    for event in events:
        at = rank[event.message.DESCRIPTOR.full_name]
        if at < last.get(event.key, 0):
            return events  # some key has a later-ranked type before an earlier one: grouping would reorder it
        last[event.key] = at
    return sorted(events, key=lambda event: rank[event.message.DESCRIPTOR.full_name])  # stable


def random_uuids(count: int) -> list[str]:
    """``count`` random (version 4) UUIDs as strings, like ``str(uuid.uuid4())`` but from one read of the system's
    randomness and without a UUID object each (a bulk request stages tens of thousands of events)."""
    raw = bytearray(os.urandom(16 * count))
    raw[6::16] = bytes((b & 0x0F) | 0x40 for b in raw[6::16])  # version 4
    raw[8::16] = bytes((b & 0x3F) | 0x80 for b in raw[8::16])  # RFC 4122 variant
    text = raw.hex()
    return [f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"
            for h in (text[i:i + 32] for i in range(0, len(text), 32))]
