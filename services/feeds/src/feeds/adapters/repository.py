"""The cursor index: append an event to an aimag's feed, read a page of it, stage its Kafka republication."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from esis_shared.kafka import Envelope
from esis_shared.relay import OUTBOX
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from feeds.adapters.orm import feed_entries, feed_heads
from feeds.domain.feed import kind_of, topic_for


@dataclass(frozen=True)
class Entry:
    version: int
    event_id: str
    event_type: str
    kind: str
    source: str
    source_topic: str
    key: str | None
    subject: str | None
    time: datetime
    payload: bytes


class FeedRepository:
    def __init__(self, session: Session) -> None:
        self.session = session

    def head(self, aimag: str) -> int:
        return self.session.execute(select(feed_heads.c.version).where(feed_heads.c.aimag == aimag)).scalar() or 0

    def _next_version(self, aimag: str) -> int:
        bumped = self.session.execute(update(feed_heads).where(feed_heads.c.aimag == aimag)
                                      .values(version=feed_heads.c.version + 1))
        if bumped.rowcount == 0:
            self.session.execute(insert(feed_heads).values(aimag=aimag, version=1))
        return self.head(aimag)

    def append(self, aimag: str, envelope: Envelope) -> int:
        version = self._next_version(aimag)
        self.session.execute(insert(feed_entries).values(
            aimag=aimag, version=version, event_id=envelope.id, event_type=envelope.type,
            kind=kind_of(envelope.type), source=envelope.source, source_topic=envelope.topic or "",
            key=envelope.key, subject=envelope.subject, time=envelope.time, payload=envelope.value))
        return version

    def stage_republish(self, aimag: str, envelope: Envelope) -> None:
        """An outbox row with the event's own id, type, source, time, subject, trace and key: the relay sends
        the same record (same bytes, same CloudEvents headers) to the aimag's topic."""
        self.session.execute(insert(OUTBOX).values(
            event_id=envelope.id, topic=topic_for(aimag), key=envelope.key or "", event_type=envelope.type,
            source=envelope.source, subject=envelope.subject, aimag=envelope.aimag, traceparent=envelope.traceparent,
            occurred_at=envelope.time, payload=envelope.value))

    def page(self, aimag: str, after: int, until: int, limit: int) -> list[Entry]:
        rows = self.session.execute(select(feed_entries).where(
            feed_entries.c.aimag == aimag, feed_entries.c.version > after, feed_entries.c.version <= until)
            .order_by(feed_entries.c.version).limit(limit))
        return [Entry(r.version, r.event_id, r.event_type, r.kind, r.source, r.source_topic, r.key, r.subject,
                      r.time, bytes(r.payload)) for r in rows]
