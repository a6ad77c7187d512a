"""Fixtures of hr's integration tests: the service on a migrated real database (SQLite file or PostgreSQL).

The real-server fixtures (``sql_url``, ``postgres_url``, ``kafka_bootstrap``) come from the root conftest."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

import pytest
from esis.hr.v1 import hr_events_pb2 as pb
from esis_shared.auth import StaticKeyVerifier
from hr.adapters.orm import outbox
from hr.bootstrap import Container, bootstrap
from hr.config import Settings
from hr.domain.access import Actor, Role
from hr.domain.directory import ClassInfo, OrgInfo
from hr.service_layer import commands
from joserfc.jwk import RSAKey
from sqlalchemy import select

SCHOOL, OTHER_SCHOOL = "org-school-1", "org-school-2"
ADMIN = Actor("acc-admin-1", Role.SCHOOL_ADMIN, frozenset({SCHOOL}))
OTHER_ADMIN = Actor("acc-admin-2", Role.SCHOOL_ADMIN, frozenset({OTHER_SCHOOL}))
NOW = datetime(2024, 10, 1, 9, tzinfo=UTC)
ISSUER, AUDIENCE = "esis-identity", "esis"


@pytest.fixture(scope="session")
def signing_key() -> RSAKey:
    return RSAKey.generate_key(2048, private=True)


def make_container(url: str, key: RSAKey) -> Container:
    verifier = StaticKeyVerifier({"keys": [key.as_dict(private=False)]}, issuer=ISSUER, audience=AUDIENCE)
    settings = Settings(database_url=url, kafka_enabled=False, grpc_port=None)
    container = bootstrap(settings, verifier=verifier, clock=lambda: NOW, run_migrations=True)
    with container.uow() as uow:
        uow.directory.save_org(OrgInfo(SCHOOL, "1-р сургууль", "011"))
        uow.directory.save_org(OrgInfo(OTHER_SCHOOL, "2-р сургууль", "011"))
        uow.directory.save_class(ClassInfo("class-5a", SCHOOL, "2024-2025", "5а", 5, {"math": 5, "mongolian": 6}))
        uow.commit()
    return container


@pytest.fixture
def container(sql_url: str, signing_key: RSAKey) -> Iterator[Container]:
    built = make_container(sql_url, signing_key)
    yield built
    built.close()


@pytest.fixture
def pg_container(postgres_url: str, signing_key: RSAKey) -> Iterator[Container]:
    built = make_container(postgres_url, signing_key)
    yield built
    built.close()


def position(container: Container, org: str = SCHOOL, kind: str = "teacher", fte: str = "1") -> str:
    actor = ADMIN if org == SCHOOL else OTHER_ADMIN
    return container.bus.handle(commands.CreatePosition(actor, org, kind, fte)).id


def hire(container: Container, register_number: str, birth: date, sex: str, *, org: str = SCHOOL,
         start: date = date(2024, 9, 1), given_name: str = "Болд") -> Any:
    actor = ADMIN if org == SCHOOL else OTHER_ADMIN
    person = commands.PersonDetails(register_number, "Батын", given_name, birth, sex, phone="99112233")
    return container.bus.handle(commands.HireStaff(actor, person, position(container, org), "1", start))


MESSAGES = {f"esis.hr.v1.{name}": getattr(pb, name) for name in pb.DESCRIPTOR.message_types_by_name}
Staged = list[dict[str, Any]]


@pytest.fixture
def staged(container: Container) -> Callable[[str | None], Staged]:
    """Outbox rows with their decoded message, oldest first, optionally of one event type."""

    def read(event_type: str | None = None) -> Staged:
        with container.engine.connect() as conn:
            rows = conn.execute(select(outbox).order_by(outbox.c.seq)).mappings().all()
        found = [{**row, "message": MESSAGES[row["event_type"]].FromString(row["payload"])} for row in rows]
        return [f for f in found if event_type is None or f["event_type"] == event_type]

    return read
