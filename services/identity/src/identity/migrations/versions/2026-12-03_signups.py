"""guardian self sign-up: pending sign-ups, their throttle log, the AMQP outbox of SMS requests

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-03
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BIGINT_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "signups",
        sa.Column("phone", sa.String(16), nullable=False),
        sa.Column("display_name", sa.String(200), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("lang", sa.String(8), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("code_sent_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("wrong_codes", sa.Integer(), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("codes_sent", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("phone", name=op.f("pk_signups")),
    )
    op.create_table(
        "signup_requests",
        sa.Column("id", BIGINT_ID, autoincrement=True, nullable=False),
        sa.Column("phone", sa.String(16), nullable=False),
        sa.Column("client_ip", sa.String(45), nullable=True),
        sa.Column("requested_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signup_requests")),
    )
    op.create_index("ix_signup_requests_phone_at", "signup_requests", ["phone", "requested_at"])
    op.create_index("ix_signup_requests_ip_at", "signup_requests", ["client_ip", "requested_at"])
    op.create_table(
        "amqp_outbox",
        sa.Column("seq", BIGINT_ID, autoincrement=True, nullable=False),
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("seq", name=op.f("pk_amqp_outbox")),
    )
    op.create_index("ix_amqp_outbox_unsent", "amqp_outbox", ["sent_at", "seq"])


def downgrade() -> None:
    op.drop_table("amqp_outbox")
    op.drop_table("signup_requests")
    op.drop_table("signups")
