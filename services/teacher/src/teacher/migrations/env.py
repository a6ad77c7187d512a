"""Alembic environment of the teacher portal: every revision runs through esis_shared.db.run_alembic_env."""

from esis_shared.db import run_alembic_env

from teacher.adapters.orm import metadata

run_alembic_env(metadata)
