"""feeds' tables: the cursor index of every aimag's HTTP change feed, its heads, outbox and processed events.

``feed_heads`` holds each aimag's latest version; a writer bumps it first in its transaction, so the row lock
orders commits and versions of one aimag become visible in order (no gap a reader could skip over).
"""

from __future__ import annotations

from esis_shared.outbox import BigIntId, outbox_tables
from sqlalchemy import Column, DateTime, Index, LargeBinary, MetaData, String, Table, UniqueConstraint

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s", "uq": "uq_%(table_name)s_%(column_0_name)s", "pk": "pk_%(table_name)s",
})

feed_heads = Table(
    "feed_heads", metadata,
    Column("aimag", String(10), primary_key=True),
    Column("version", BigIntId, nullable=False),
)
feed_entries = Table(
    "feed_entries", metadata,
    Column("aimag", String(10), primary_key=True),
    Column("version", BigIntId, primary_key=True),
    Column("event_id", String(64), nullable=False),
    Column("event_type", String(200), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("source", String(100), nullable=False),
    Column("source_topic", String(200), nullable=False),
    Column("key", String(200), nullable=True),
    Column("subject", String(200), nullable=True),
    Column("time", DateTime(timezone=True), nullable=False),
    Column("payload", LargeBinary, nullable=False),
    UniqueConstraint("aimag", "event_id", name="uq_feed_entries_aimag_event"),
    Index("ix_feed_entries_event", "event_id"),
)

outbox, processed_events = outbox_tables(metadata)
