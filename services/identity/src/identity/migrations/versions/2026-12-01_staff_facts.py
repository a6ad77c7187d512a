"""staff facts from hr: account links, appointments and teaching assignments (teacher scopes)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "staff_accounts",
        sa.Column("staff_id", sa.String(64), nullable=False),
        sa.Column("account_id", sa.String(36), nullable=False),
        sa.PrimaryKeyConstraint("staff_id", name=op.f("pk_staff_accounts")),
    )
    op.create_index("ix_staff_accounts_account", "staff_accounts", ["account_id"])
    op.create_table(
        "staff_appointments",
        sa.Column("appointment_id", sa.String(64), nullable=False),
        sa.Column("staff_id", sa.String(64), nullable=False),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("ended", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("appointment_id", name=op.f("pk_staff_appointments")),
    )
    op.create_index("ix_staff_appointments_staff", "staff_appointments", ["staff_id"])
    op.create_table(
        "teaching_assignments",
        sa.Column("assignment_id", sa.String(64), nullable=False),
        sa.Column("staff_id", sa.String(64), nullable=False),
        sa.Column("class_id", sa.String(64), nullable=False),
        sa.Column("org_id", sa.String(64), nullable=False),
        sa.Column("ended", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("assignment_id", name=op.f("pk_teaching_assignments")),
    )
    op.create_index("ix_teaching_assignments_staff", "teaching_assignments", ["staff_id"])


def downgrade() -> None:
    for table in ("teaching_assignments", "staff_appointments", "staff_accounts"):
        op.drop_table(table)
