"""education codes up to 40 characters: organisation codes (education accepts 40) and subject codes (education's
subjects, carried on by hr and teacher) were 32, so a longer value was dead-lettered

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 17:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ('org_units', 'code'),
    ('grades', 'subject_code'),
    ('teaching', 'subject_code'),
)


def _alter(old: int, new: int) -> None:
    for table, column in COLUMNS:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.alter_column(column, existing_type=sa.String(length=old), type_=sa.String(length=new),
                                  existing_nullable=False)


def upgrade() -> None:
    _alter(32, 40)


def downgrade() -> None:
    for table, column in COLUMNS:
        rows = sa.table(table, sa.column(column, sa.String))
        op.execute(rows.update().values({column: sa.func.substr(rows.c[column], 1, 32)}))
    _alter(40, 32)
