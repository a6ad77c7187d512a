"""Write an aggregate's child rows back: only what changed since it was loaded."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from sqlalchemy import Table, delete, insert, update
from sqlalchemy.orm import Session

Row = dict[str, Any]


def centi(amount: Decimal) -> int:
    """FTE 0.75 -> 75 (the column keeps hundredths)."""
    return int(amount * 100)


def from_centi(value: int) -> Decimal:
    return (Decimal(value) / 100).quantize(Decimal("0.01"))


def sync_by_id(session: Session, table: Table, old: Mapping[str, Row], new: Mapping[str, Row]) -> None:
    """Insert, update or delete rows keyed by their ``id`` column so the table matches ``new``."""
    gone = sorted(old.keys() - new.keys())
    if gone:
        session.execute(delete(table).where(table.c.id.in_(gone)))
    added = [row for key, row in new.items() if key not in old]
    if added:
        session.execute(insert(table), added)
    for key, row in new.items():
        if key in old and old[key] != row:
            session.execute(update(table).where(table.c.id == key).values(**row))


def replace_children(session: Session, table: Table, parent: tuple[str, str], old: Sequence[Row],
                     new: Sequence[Row]) -> None:
    """Rewrite all child rows of one parent (``(column, value)``) when any of them changed."""
    if list(old) == list(new):
        return
    column, value = parent
    session.execute(delete(table).where(table.c[column] == value))
    if new:
        session.execute(insert(table), list(new))
