"""In-memory store for unit tests (same protocol as ``SqlStore``)."""

from __future__ import annotations

import copy
from datetime import datetime

from notify.domain.model import Delivery


class MemoryStore:
    def __init__(self) -> None:
        self.rows: dict[str, Delivery] = {}
        self.leased: set[str] = set()

    def add(self, delivery: Delivery) -> bool:
        if delivery.key in self.rows:
            return False
        self.rows[delivery.key] = copy.deepcopy(delivery)
        return True

    def get(self, key: str) -> Delivery | None:
        found = self.rows.get(key)
        return copy.deepcopy(found) if found else None

    def claim_due(self, now: datetime, limit: int = 100) -> list[Delivery]:
        due = [d for d in self.rows.values() if d.is_due(now) and d.key not in self.leased][:limit]
        self.leased |= {d.key for d in due}
        return [copy.deepcopy(d) for d in sorted(due, key=lambda d: d.due_at)]

    def save(self, delivery: Delivery) -> None:
        self.rows[delivery.key] = copy.deepcopy(delivery)
        self.leased.discard(delivery.key)

    def for_account(self, account_id: str, limit: int = 50) -> list[Delivery]:
        return [copy.deepcopy(d) for d in self.rows.values() if d.account_id == account_id][:limit]
