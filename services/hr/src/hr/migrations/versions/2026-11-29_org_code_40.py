"""org code up to 40 characters, as education accepts it (it was 20, so a longer code was dead-lettered)

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 17:50:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("orgs") as batch:
        batch.alter_column("code", existing_type=sa.String(length=20), type_=sa.String(length=40),
                           existing_nullable=False, existing_server_default="")


def downgrade() -> None:
    orgs = sa.table("orgs", sa.column("code", sa.String))
    op.execute(orgs.update().values(code=sa.func.substr(orgs.c.code, 1, 20)))
    with op.batch_alter_table("orgs") as batch:
        batch.alter_column("code", existing_type=sa.String(length=40), type_=sa.String(length=20),
                           existing_nullable=False, existing_server_default="")
