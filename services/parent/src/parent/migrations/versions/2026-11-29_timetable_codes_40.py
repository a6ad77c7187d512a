"""Timetable read model: subject code and room up to 40 characters, as education allows them (they were cut to 32).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 17:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = ('subject_code', 'room')


def upgrade() -> None:
    with op.batch_alter_table('timetable_lessons', schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.alter_column(name, existing_type=sa.String(length=32), type_=sa.String(length=40),
                                  existing_nullable=False)


def downgrade() -> None:
    lessons = sa.table('timetable_lessons', *(sa.column(name, sa.String) for name in COLUMNS))
    op.execute(lessons.update().values({name: sa.func.substr(lessons.c[name], 1, 32) for name in COLUMNS}))
    with op.batch_alter_table('timetable_lessons', schema=None) as batch_op:
        for name in COLUMNS:
            batch_op.alter_column(name, existing_type=sa.String(length=40), type_=sa.String(length=32),
                                  existing_nullable=False)
