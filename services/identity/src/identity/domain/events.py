"""Facts about accounts, recorded by the aggregate and staged in the outbox by the unit of work.

They carry ids and scopes only: never passwords, hashes or tokens.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from identity.domain.model import LockReason, Role, Scopes


@dataclass(frozen=True)
class AccountCreated:
    account_id: str
    username: str
    role: Role
    scopes: Scopes
    occurred_at: datetime


@dataclass(frozen=True)
class AccountScopesChanged:
    account_id: str
    role: Role
    scopes: Scopes
    actor_id: str | None
    occurred_at: datetime


@dataclass(frozen=True)
class AccountLocked:
    account_id: str
    reason: LockReason
    locked_until: datetime | None
    occurred_at: datetime


@dataclass(frozen=True)
class AccountUnlocked:
    account_id: str
    actor_id: str | None
    occurred_at: datetime


@dataclass(frozen=True)
class AccountDisabled:
    account_id: str
    actor_id: str
    occurred_at: datetime


@dataclass(frozen=True)
class PasswordChanged:
    account_id: str
    actor_id: str
    occurred_at: datetime


Event = AccountCreated | AccountScopesChanged | AccountLocked | AccountUnlocked | AccountDisabled | PasswordChanged
