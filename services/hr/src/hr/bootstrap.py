"""Composition root: settings → engine, session factory, unit of work, reference data, message bus.

Entry points use the ``Container``: ``container.bus.handle(command)`` for changes, ``container.uow()`` with the
functions of ``hr.service_layer.views`` for reads, ``container.verifier`` for access tokens.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path

from esis_shared.auth import JwksVerifier, TokenVerifier
from esis_shared.db import make_engine, make_session_factory, migrate
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from hr.config import Settings
from hr.reference import load_ranks
from hr.service_layer.handlers.common import Context, Policy
from hr.service_layer.messagebus import MessageBus
from hr.service_layer.unit_of_work import AbstractUnitOfWork, SqlUnitOfWork

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Container:
    settings: Settings
    engine: Engine
    bus: MessageBus
    verifier: TokenVerifier
    sessions: sessionmaker[Session]

    @property
    def context(self) -> Context:
        return self.bus.context

    def uow(self) -> AbstractUnitOfWork:
        return self.bus.uow_factory()

    def close(self) -> None:
        self.engine.dispose()


def bootstrap(settings: Settings | None = None, *, engine: Engine | None = None,
              verifier: TokenVerifier | None = None, clock: Callable[[], datetime] = utc_now,
              run_migrations: bool = False) -> Container:
    settings = settings or Settings()
    if run_migrations:
        migrate(settings.database_url, MIGRATIONS_DIR)
    engine = engine or make_engine(settings.database_url)
    policy = Policy(settings.workload_norm_hours, settings.max_total_fte)
    context = Context(load_ranks(), policy, now=clock)
    sessions = make_session_factory(engine)
    bus = MessageBus(partial(SqlUnitOfWork, sessions, clock), context)
    verifier = verifier or JwksVerifier.of(settings)
    return Container(settings, engine, bus, verifier, sessions)
