"""identity's tables. Passwords are stored only as argon2 hashes, refresh tokens only as SHA-256 hashes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from esis_shared.amqp_outbox import amqp_outbox_table
from esis_shared.outbox import BigIntId, outbox_tables
from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    TypeDecorator,
)

metadata = MetaData(naming_convention={
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
})


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in and out, also on SQLite (which stores no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is not None and value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        return value.astimezone(UTC) if value is not None else None

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


accounts = Table(
    "accounts", metadata,
    Column("id", String(36), primary_key=True),
    Column("username", String(64), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False, default=""),
    Column("role", String(32), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("created_by", String(36), nullable=True),
    Column("failed_attempts", Integer, nullable=False, default=0),
    Column("last_failed_at", UtcDateTime, nullable=True),
    Column("locked_until", UtcDateTime, nullable=True),
    Column("lock_reason", String(32), nullable=True),
    Column("disabled_at", UtcDateTime, nullable=True),
    Column("last_login_at", UtcDateTime, nullable=True),
    Index("ix_accounts_role", "role"),
)

# One row per scope value, so "accounts of these schools" is an indexed query and later consumers of
# education/hr events can add or remove one scope without rewriting the account.
account_scopes = Table(
    "account_scopes", metadata,
    Column("account_id", String(36), ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("kind", String(8), primary_key=True),  # org | class | child
    Column("scope_id", String(64), primary_key=True),
    Index("ix_account_scopes_kind_scope", "kind", "scope_id"),
)

refresh_tokens = Table(
    "refresh_tokens", metadata,
    Column("id", String(36), primary_key=True),
    Column("account_id", String(36), ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("family_id", String(36), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
    Column("revoked_at", UtcDateTime, nullable=True),
    Index("ix_refresh_tokens_family", "family_id"),
    Index("ix_refresh_tokens_account", "account_id"),
)

# One-time activation codes of accounts created without a password (domain/activation.py), as SHA-256 only.
account_activations = Table(
    "account_activations", metadata,
    Column("account_id", String(36), ForeignKey("accounts.id", ondelete="CASCADE"), primary_key=True),
    Column("code_hash", String(64), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
)

# Audit of sign-in attempts (who, from where, outcome); the lockout itself uses the account's counter.
login_attempts = Table(
    "login_attempts", metadata,
    Column("id", BigIntId, primary_key=True, autoincrement=True),
    Column("username", String(64), nullable=False),
    Column("account_id", String(36), nullable=True),
    Column("client_ip", String(45), nullable=True),
    Column("attempted_at", UtcDateTime, nullable=False),
    Column("succeeded", Boolean, nullable=False),
    Column("outcome", String(32), nullable=False),
    Index("ix_login_attempts_username_at", "username", "attempted_at"),
)

# hr's facts about staff, kept by the consumer of hr.staff.v1 and hr.assignments.v1 to scope teacher accounts:
# which account a staff member signs in with, where they are appointed, which classes they teach. Rows are
# marked ended rather than deleted, so a late or repeated "assigned" never brings an ended assignment back.
staff_accounts = Table(
    "staff_accounts", metadata,
    Column("staff_id", String(64), primary_key=True),
    Column("account_id", String(36), nullable=False),
    Index("ix_staff_accounts_account", "account_id"),
)

staff_appointments = Table(
    "staff_appointments", metadata,
    Column("appointment_id", String(64), primary_key=True),
    Column("staff_id", String(64), nullable=False),
    Column("org_id", String(64), nullable=False),
    Column("ended", Boolean, nullable=False),
    Index("ix_staff_appointments_staff", "staff_id"),
)

teaching_assignments = Table(
    "teaching_assignments", metadata,
    Column("assignment_id", String(64), primary_key=True),
    Column("staff_id", String(64), nullable=False),
    Column("class_id", String(64), nullable=False),
    Column("org_id", String(64), nullable=False),
    Column("ended", Boolean, nullable=False),
    Index("ix_teaching_assignments_staff", "staff_id"),
)

# Guardians' self sign-ups waiting for their SMS code (domain/signup.py): the code only as SHA-256, the password
# only as argon2id. The account exists only once the code is confirmed.
signups = Table(
    "signups", metadata,
    Column("phone", String(16), primary_key=True),
    Column("display_name", String(200), nullable=False),
    Column("password_hash", String(255), nullable=False),
    Column("lang", String(8), nullable=False),
    Column("code_hash", String(64), nullable=False),
    Column("code_sent_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("wrong_codes", Integer, nullable=False, default=0),
    Column("locked_until", UtcDateTime, nullable=True),
    Column("codes_sent", Integer, nullable=False, default=1),
)

# Every code (or "someone tried your number") SMS requested, by phone and client IP: the throttles count these.
signup_requests = Table(
    "signup_requests", metadata,
    Column("id", BigIntId, primary_key=True, autoincrement=True),
    Column("phone", String(16), nullable=False),
    Column("client_ip", String(45), nullable=True),
    Column("requested_at", UtcDateTime, nullable=False),
    Index("ix_signup_requests_phone_at", "phone", "requested_at"),
    Index("ix_signup_requests_ip_at", "client_ip", "requested_at"),
)

outbox, processed_events = outbox_tables(metadata)
# SMS requests to notify (nameko event identity.direct_message_requested), published by esis_shared.amqp_outbox.
amqp_outbox = amqp_outbox_table(metadata)
