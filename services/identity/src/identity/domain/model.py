"""Accounts and refresh-token sessions: the state identity owns and the rules that change it."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum

from identity.domain import events
from identity.domain.errors import InvalidScopes


class Role(StrEnum):
    MINISTRY = "ministry"
    AIMAG_OFFICER = "aimag_officer"
    DISTRICT_OFFICER = "district_officer"
    SCHOOL_ADMIN = "school_admin"
    TEACHER = "teacher"
    PARENT = "parent"
    SERVICE = "service"  # a machine account, e.g. an aimag department's feed consumer


class AccountStatus(StrEnum):
    ACTIVE = "active"
    LOCKED = "locked"
    DISABLED = "disabled"


class LockReason(StrEnum):
    FAILED_SIGN_INS = "failed_sign_ins"
    ADMINISTRATOR = "administrator"


@dataclass(frozen=True)
class LockoutPolicy:
    threshold: int = 5
    minutes: int = 15

    @property
    def period(self) -> timedelta:
        return timedelta(minutes=self.minutes)


@dataclass(frozen=True)
class Scopes:
    """Where an account may act: organisations, classes (teachers) and children (parents)."""

    org_ids: frozenset[str] = frozenset()
    class_ids: frozenset[str] = frozenset()
    child_ids: frozenset[str] = frozenset()

    @classmethod
    def of(cls, org_ids: object = (), class_ids: object = (), child_ids: object = ()) -> Scopes:
        return cls(_ids(org_ids, "org_ids"), _ids(class_ids, "class_ids"), _ids(child_ids, "child_ids"))

    def validate_for(self, role: Role) -> None:
        if role is not Role.MINISTRY and not self.org_ids:
            raise InvalidScopes("org_ids", f"A {role} account needs at least one organisation",
                                "Энэ төрлийн бүртгэлд дор хаяж нэг байгууллага заана уу")
        self.validate_kinds_for(role)

    def validate_kinds_for(self, role: Role) -> None:
        """Only teachers hold classes and only parents hold children."""
        if self.class_ids and role is not Role.TEACHER:
            raise InvalidScopes("class_ids", "Only teacher accounts have classes",
                                "Зөвхөн багшийн бүртгэлд анги заана")
        if self.child_ids and role is not Role.PARENT:
            raise InvalidScopes("child_ids", "Only parent accounts have children",
                                "Зөвхөн эцэг эхийн бүртгэлд хүүхэд заана")


def _ids(values: object, name: str) -> frozenset[str]:
    items = frozenset() if isinstance(values, str) else frozenset(values)  # type: ignore[call-overload]
    if isinstance(values, str) or not all(isinstance(v, str) and 0 < len(v) <= 64 and v.strip() == v for v in items):
        raise InvalidScopes(name, f"{name} must be non-empty ids of at most 64 characters",
                            "Танигч хоосон биш, 64 тэмдэгтээс ихгүй байх ёстой")
    return items


@dataclass(eq=False)
class Account:
    id: str
    username: str
    role: Role
    password_hash: str
    scopes: Scopes
    created_at: datetime
    display_name: str = ""
    created_by: str | None = None
    failed_attempts: int = 0
    last_failed_at: datetime | None = None
    locked_until: datetime | None = None
    lock_reason: LockReason | None = None
    disabled_at: datetime | None = None
    last_login_at: datetime | None = None
    events: list[events.Event] = field(default_factory=list, repr=False)

    @classmethod
    def create(cls, *, username: str, role: Role, password_hash: str, scopes: Scopes, now: datetime,
               display_name: str = "", created_by: str | None = None) -> Account:
        scopes.validate_for(role)
        account = cls(id=str(uuid.uuid4()), username=username, role=role, password_hash=password_hash,
                      scopes=scopes, created_at=now, display_name=display_name, created_by=created_by)
        account.events.append(events.AccountCreated(account.id, username, role, scopes, now))
        return account

    @classmethod
    def sign_up_guardian(cls, *, username: str, display_name: str, password_hash: str, now: datetime) -> Account:
        """A guardian who signed up themselves (phone confirmed): a parent account with no org and no child yet.

        Its children come from the parent portal's confirmed claims (``ChildLinked``), like any parent account's.
        """
        account = cls(id=str(uuid.uuid4()), username=username, role=Role.PARENT, password_hash=password_hash,
                      scopes=Scopes(), created_at=now, display_name=display_name, created_by=None)
        account.events.append(events.AccountCreated(account.id, username, Role.PARENT, Scopes(), now))
        return account

    # ------------------------------------------------------------ status

    def status(self, now: datetime) -> AccountStatus:
        if self.disabled_at is not None:
            return AccountStatus.DISABLED
        return AccountStatus.LOCKED if self.is_locked(now) else AccountStatus.ACTIVE

    def is_locked(self, now: datetime) -> bool:
        return self.lock_reason is not None and (self.locked_until is None or self.locked_until > now)

    def lock_has_expired(self, now: datetime) -> bool:
        return self.lock_reason is not None and self.locked_until is not None and self.locked_until <= now

    def can_sign_in(self, now: datetime) -> bool:
        return self.status(now) is AccountStatus.ACTIVE

    def may_refresh(self, now: datetime) -> bool:
        """Sessions survive a lock from failed sign-ins (else anyone could sign a user out by guessing)."""
        if self.disabled_at is not None:
            return False
        return not (self.is_locked(now) and self.lock_reason is LockReason.ADMINISTRATOR)

    # ------------------------------------------------------------ sign-in

    def record_failed_sign_in(self, now: datetime, policy: LockoutPolicy) -> bool:
        """Count a wrong password; returns True when this failure locks the account."""
        if self.last_failed_at is not None and now - self.last_failed_at > policy.period:
            self.failed_attempts = 0  # old failures are forgiven after a quiet lockout period
        self.failed_attempts += 1
        self.last_failed_at = now
        if self.failed_attempts < policy.threshold:
            return False
        self._lock(now, now + policy.period, LockReason.FAILED_SIGN_INS)
        return True

    def record_sign_in(self, now: datetime) -> None:
        self.failed_attempts = 0
        self.last_failed_at = None
        self.last_login_at = now

    # ------------------------------------------------------------ administration

    def lock(self, now: datetime, actor_id: str) -> None:
        del actor_id  # AccountLocked has no actor field; the reason says an administrator did it
        if self.lock_reason is not LockReason.ADMINISTRATOR:
            self._lock(now, None, LockReason.ADMINISTRATOR)

    def unlock(self, now: datetime, actor_id: str | None = None) -> None:
        if self.lock_reason is None:
            return
        self.lock_reason = None
        self.locked_until = None
        self.failed_attempts = 0
        self.last_failed_at = None
        self.events.append(events.AccountUnlocked(self.id, actor_id, now))

    def disable(self, now: datetime, actor_id: str) -> None:
        if self.disabled_at is None:
            self.disabled_at = now
            self.events.append(events.AccountDisabled(self.id, actor_id, now))

    def change_scopes(self, now: datetime, actor_id: str | None, role: Role, scopes: Scopes) -> None:
        scopes.validate_for(role)
        if (role, scopes) == (self.role, self.scopes):
            return
        self.role = role
        self.scopes = scopes
        self.events.append(events.AccountScopesChanged(self.id, role, scopes, actor_id, now))

    def follow_scopes(self, now: datetime, scopes: Scopes) -> bool:
        """Scopes kept in step with another service's facts (hr's teaching, parent's child links), no actor.

        The role's rules on what it may hold still apply, but the account may be left without an organisation:
        a teacher who left every school keeps the account and reaches nothing. True when the scopes changed.
        """
        scopes.validate_kinds_for(self.role)
        if scopes == self.scopes:
            return False
        self.scopes = scopes
        self.events.append(events.AccountScopesChanged(self.id, self.role, scopes, None, now))
        return True

    def change_password(self, now: datetime, actor_id: str, password_hash: str) -> None:
        self.password_hash = password_hash
        self.events.append(events.PasswordChanged(self.id, actor_id, now))

    def _lock(self, now: datetime, until: datetime | None, reason: LockReason) -> None:
        self.lock_reason = reason
        self.locked_until = until
        self.events.append(events.AccountLocked(self.id, reason, until, now))


@dataclass(eq=False)
class RefreshSession:
    """One refresh token (stored as a hash). Rotation keeps the family; reuse of a used token kills it."""

    id: str
    account_id: str
    family_id: str
    token_hash: str
    issued_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None

    @classmethod
    def issue(cls, *, account_id: str, token_hash: str, now: datetime, ttl: timedelta,
              family_id: str | None = None) -> RefreshSession:
        return cls(id=str(uuid.uuid4()), account_id=account_id, family_id=family_id or str(uuid.uuid4()),
                   token_hash=token_hash, issued_at=now, expires_at=now + ttl)

    def is_expired(self, now: datetime) -> bool:
        return self.expires_at <= now
