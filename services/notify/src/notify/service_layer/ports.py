"""What the delivery logic needs: a store of deliveries and one provider per channel."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from notify.domain.model import Delivery


class TemporaryFailure(Exception):
    """The provider may accept the message later (timeout, 5xx, connection refused): retry with back-off."""


class PermanentFailure(Exception):
    """The provider will never accept it (bad number, rejected address): try the next channel."""


class Provider(Protocol):
    def send(self, address: str, text: str, *, key: str) -> str:
        """Hand the message over; returns the provider's reference. ``key`` lets a gateway drop duplicates."""


class Store(Protocol):
    def add(self, delivery: Delivery) -> bool:
        """False when a delivery with this key exists already (the request was delivered twice)."""

    def get(self, key: str) -> Delivery | None: ...

    def claim_due(self, now: datetime, limit: int = 100) -> list[Delivery]:
        """Pending deliveries due by ``now``, leased to this worker so no other worker sends them too."""

    def save(self, delivery: Delivery) -> None:
        """Store the new state and release the lease."""

    def for_account(self, account_id: str, limit: int = 50) -> list[Delivery]: ...
