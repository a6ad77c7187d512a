"""Deliveries in SQL (SQLite in development, PostgreSQL in production).

Workers take due deliveries with a lease (an UPDATE that only one worker can win), so two ``notify`` processes
never send the same delivery at the same time; a worker that dies loses its lease after ``LEASE``.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError

from notify.domain.model import PENDING, Delivery

LEASE = timedelta(seconds=60)
metadata = MetaData()
deliveries = Table(
    "deliveries", metadata,
    Column("key", String(300), primary_key=True),
    Column("account_id", String(64), nullable=False, index=True),
    Column("event_type", String(32), nullable=False),
    Column("learner_id", String(64), nullable=False),
    Column("text", Text, nullable=False),
    Column("channels", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("due_at", DateTime(timezone=True), nullable=False),
    Column("digest", Boolean, nullable=False, default=False),
    Column("lang", String(2), nullable=False),
    Column("status", String(16), nullable=False),
    Column("channel_index", Integer, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("sent_channel", String(16), nullable=False),
    Column("last_error", Text, nullable=False),
    Column("updated_at", DateTime(timezone=True), nullable=True),
    Column("history", JSON, nullable=False),
    Column("lease_until", DateTime(timezone=True), nullable=True),
    Index("ix_deliveries_due", "status", "due_at"),
)
FIELDS = ("key", "account_id", "event_type", "learner_id", "text", "created_at", "due_at", "digest", "lang",
          "status", "channel_index", "attempts", "sent_channel", "last_error", "updated_at", "history")


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def _row(delivery: Delivery) -> dict[str, Any]:
    row = {name: getattr(delivery, name) for name in FIELDS}
    row["channels"] = [list(c) for c in delivery.channels]
    return row


def _delivery(row: Any) -> Delivery:
    values = {name: getattr(row, name) for name in FIELDS}
    for name in ("created_at", "due_at", "updated_at"):
        values[name] = _utc(values[name])
    return Delivery(channels=[(c, a) for c, a in row.channels], **values)


class SqlStore:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def add(self, delivery: Delivery) -> bool:
        try:
            with self.engine.begin() as conn:
                conn.execute(insert(deliveries).values(**_row(delivery)))
        except IntegrityError:
            return False
        return True

    def get(self, key: str) -> Delivery | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(deliveries).where(deliveries.c.key == key)).first()
        return _delivery(row) if row else None

    def claim_due(self, now: datetime, limit: int = 100) -> list[Delivery]:
        free = or_(deliveries.c.lease_until.is_(None), deliveries.c.lease_until < now)
        due = and_(deliveries.c.status == PENDING, deliveries.c.due_at <= now, free)
        claimed = []
        with self.engine.begin() as conn:
            keys = conn.execute(select(deliveries.c.key).where(due).order_by(deliveries.c.due_at).limit(limit))
            for (key,) in keys.all():
                won = conn.execute(update(deliveries).where(deliveries.c.key == key, due)
                                   .values(lease_until=now + LEASE))
                if won.rowcount == 1:
                    claimed.append(key)
            rows = conn.execute(select(deliveries).where(deliveries.c.key.in_(claimed))).all() if claimed else []
        return sorted((_delivery(r) for r in rows), key=lambda d: d.due_at)

    def save(self, delivery: Delivery) -> None:
        values = _row(delivery)
        values.pop("key")
        with self.engine.begin() as conn:
            conn.execute(update(deliveries).where(deliveries.c.key == delivery.key)
                         .values(**values, lease_until=None))

    def for_account(self, account_id: str, limit: int = 50) -> list[Delivery]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(deliveries).where(deliveries.c.account_id == account_id)
                                .order_by(deliveries.c.created_at.desc()).limit(limit)).all()
        return [_delivery(r) for r in rows]
