"""What the service layer needs from the outside world, as protocols the adapters implement."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from identity.domain.model import Account, LockoutPolicy
from identity.service_layer.unit_of_work import UnitOfWork


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool: ...

    def verify_dummy(self, password: str) -> None:
        """Spend the time of one verification, so unknown usernames answer as slowly as known ones."""

    def needs_rehash(self, password_hash: str) -> bool: ...


class TokenIssuer(Protocol):
    access_ttl_s: int

    def access_token(self, account: Account, now: datetime) -> str: ...

    def new_refresh_token(self) -> str: ...

    def hash_refresh_token(self, token: str) -> str: ...


@dataclass(frozen=True)
class Deps:
    """Everything a handler needs besides its command; built once by ``bootstrap``."""

    uow: Callable[[], UnitOfWork]
    hasher: PasswordHasher
    tokens: TokenIssuer
    lockout: LockoutPolicy
    refresh_ttl: timedelta
    clock: Callable[[], datetime]
    activation_ttl: timedelta = timedelta(days=30)
