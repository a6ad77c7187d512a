"""dashboard indexes: the per-school reads of the dashboards (classes, teaching, appointments, grades, withdrawals)

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = (
    ("ix_classes_school", "classes", ["school_id", "year_id"]),
    ("ix_withdrawals_org", "withdrawals", ["org_id", "on"]),
    ("ix_grades_org_year", "grades", ["org_id", "school_year", "term"]),
    ("ix_appointments_staff", "appointments", ["staff_id"]),
    ("ix_teaching_org", "teaching", ["org_id"]),
)


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
