"""Alembic environment of parent: every revision runs through esis_shared.db.run_alembic_env."""

from esis_shared.db import run_alembic_env

from parent.adapters.orm import metadata

run_alembic_env(metadata)
