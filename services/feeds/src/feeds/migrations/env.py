"""Alembic environment of feeds: every revision runs through esis_shared.db.run_alembic_env."""

from esis_shared.db import run_alembic_env

from feeds.adapters.orm import metadata

run_alembic_env(metadata)
