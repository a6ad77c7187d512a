"""Integration fixtures: a migrated database (SQLite file and fresh PostgreSQL) behind the real container."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from education.bootstrap import Container, bootstrap
from education.config import Settings
from education.service_layer.clock import FixedClock


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2024, 10, 1, 2, 0, tzinfo=UTC))


@pytest.fixture
def container(sql_url: str, clock: FixedClock) -> Iterator[Container]:
    built = bootstrap(Settings(database_url=sql_url, kafka_enabled=False), clock=clock, run_migrations=True)
    yield built
    built.close()


@pytest.fixture
def pg_container(postgres_url: str, clock: FixedClock) -> Iterator[Container]:
    built = bootstrap(Settings(database_url=postgres_url, kafka_enabled=False), clock=clock, run_migrations=True)
    yield built
    built.close()
