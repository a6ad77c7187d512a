"""Fixtures of identity's tests: a container on in-memory SQLite with a fast hasher and a movable clock.

Real-server fixtures (``postgres_url``, ``sql_url``, ``kafka_bootstrap``) come from esis_shared.testing.fixtures,
enabled in the root conftest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, Protocol

import pytest
from esis.identity.v1 import identity_events_pb2 as pb
from esis_shared.db import make_engine
from identity.adapters.orm import metadata, outbox
from identity.adapters.passwords import Argon2Hasher
from identity.bootstrap import Container, bootstrap
from identity.config import Settings
from identity.domain.model import Account
from identity.service_layer.commands import CreateAccount
from joserfc.jwk import RSAKey
from sqlalchemy import Engine, select
from sqlalchemy.pool import StaticPool

PASSWORD = "Correct-horse-42"


class Clock:
    def __init__(self) -> None:
        self.now = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(scope="session")
def key_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("keys") / "signing-key.pem"
    path.write_bytes(RSAKey.generate_key(2048, private=True).as_pem(private=True))
    return path


@pytest.fixture(scope="session")
def fast_hasher() -> Argon2Hasher:
    return Argon2Hasher.fast_for_tests()


@pytest.fixture
def clock() -> Clock:
    return Clock()


def memory_engine() -> Engine:
    engine = make_engine("sqlite://", poolclass=StaticPool)
    metadata.create_all(engine)
    return engine


def make_settings(key_file: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {"database_url": "sqlite://", "signing_key_file": str(key_file),
                                 "kafka_enabled": False, "grpc_port": None, **overrides}
    return Settings(**values)  # type: ignore[arg-type]


@pytest.fixture
def container(key_file: Path, fast_hasher: Argon2Hasher, clock: Clock) -> Iterator[Container]:
    built = bootstrap(make_settings(key_file), engine=memory_engine(), hasher=fast_hasher, clock=clock)
    yield built
    built.close()


class Seeder(Protocol):
    def __call__(self, username: str, role: str, *, orgs: tuple[str, ...] = (), classes: tuple[str, ...] = (),
                 children: tuple[str, ...] = (), password: str = PASSWORD) -> Account: ...


@pytest.fixture
def seed(container: Container) -> Seeder:
    """Create an account as the platform itself (no acting administrator)."""

    def create(username: str, role: str, *, orgs: tuple[str, ...] = (), classes: tuple[str, ...] = (),
               children: tuple[str, ...] = (), password: str = PASSWORD) -> Account:
        return container.handle(CreateAccount(actor_id=None, username=username, password=password, role=role,
                                              org_ids=orgs, class_ids=classes, child_ids=children))

    return create


@pytest.fixture
def password() -> str:
    return PASSWORD


MESSAGES = {f"esis.identity.v1.{name}": getattr(pb, name) for name in (
    "AccountCreated", "AccountScopesChanged", "AccountLocked", "AccountUnlocked", "AccountDisabled",
    "PasswordChanged")}
Staged = list[tuple[str, str, Any]]


def read_outbox(engine: Engine, event_type: str | None = None) -> Staged:
    """(event type, key, decoded message) of every outbox row, in order."""
    with engine.connect() as conn:
        rows = conn.execute(select(outbox).order_by(outbox.c.seq)).mappings().all()
    found = [(r["event_type"], r["key"], MESSAGES[r["event_type"]].FromString(r["payload"])) for r in rows]
    return [f for f in found if event_type is None or f[0] == event_type]


@pytest.fixture
def staged(container: Container) -> Callable[..., Staged]:
    return lambda event_type=None: read_outbox(container.engine, event_type)
