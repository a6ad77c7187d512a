"""Small helpers shared by the SQL repositories: upsert that works on SQLite and PostgreSQL, UTC on read."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Table, and_, insert, select, update
from sqlalchemy.orm import Session


def utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def upsert(session: Session, table: Table, values: dict[str, Any]) -> bool:
    """Insert or update by primary key; True when the row is new."""
    keys = [c.name for c in table.primary_key.columns]
    where = and_(*(table.c[k] == values[k] for k in keys))
    exists = session.execute(select(*(table.c[k] for k in keys)).where(where)).first()
    if exists is None:
        session.execute(insert(table).values(**values))
        return True
    rest = {k: v for k, v in values.items() if k not in keys}
    if rest:
        session.execute(update(table).where(where).values(**rest))
    return False


def row_dict(row: Any) -> dict[str, Any]:
    return dict(row._mapping)
