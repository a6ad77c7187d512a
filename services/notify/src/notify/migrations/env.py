"""Alembic environment of notify: every revision runs through esis_shared.db.run_alembic_env."""

from esis_shared.db import run_alembic_env

from notify.adapters.store import metadata

run_alembic_env(metadata)
