"""education directory: org hierarchy (code, parent, closing date), class levels, subjects and curriculum hours

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
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
    with op.batch_alter_table("orgs") as batch:
        batch.add_column(sa.Column("code", sa.String(length=20), server_default="", nullable=False))
        batch.add_column(sa.Column("parent_id", sa.String(length=36), nullable=True))
        batch.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
        batch.create_index("ix_orgs_parent", ["parent_id"], unique=False)
    with op.batch_alter_table("classes") as batch:
        batch.add_column(sa.Column("level", sa.String(length=10), server_default="", nullable=False))
    op.create_table(
        "subjects",
        sa.Column("subject_id", sa.String(length=36), nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.PrimaryKeyConstraint("subject_id", name=op.f("pk_subjects")),
    )
    op.create_table(
        "curriculum_hours",
        sa.Column("subject_id", sa.String(length=36), nullable=False),
        sa.Column("school_year", sa.String(length=9), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("hours", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("subject_id", "school_year", "level", name=op.f("pk_curriculum_hours")),
    )
    op.create_index("ix_curriculum_hours_year_level", "curriculum_hours", ["school_year", "level"], unique=False)


def downgrade() -> None:
    op.drop_table("curriculum_hours")
    op.drop_table("subjects")
    with op.batch_alter_table("classes") as batch:
        batch.drop_column("level")
    with op.batch_alter_table("orgs") as batch:
        batch.drop_index("ix_orgs_parent")
        batch.drop_column("closed_on")
        batch.drop_column("parent_id")
        batch.drop_column("code")
