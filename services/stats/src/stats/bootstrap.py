"""Composition root: settings → engine, session factory, token verifier, clock.

Entry points use the ``Container`` (``app.state.container`` for the API and the pages)::

    with container.transaction() as session: ...   # one transaction: commit on success, roll back on error
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from esis_shared.auth import JwksVerifier, TokenVerifier
from esis_shared.db import make_engine, make_session_factory, migrate, transaction
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from stats.config import Settings

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Container:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    verifier: TokenVerifier
    clock: Callable[[], datetime]

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        with transaction(self.sessions) as session:
            yield session

    def close(self) -> None:
        close = getattr(self.verifier, "close", None)
        if close is not None:
            close()
        self.engine.dispose()


def bootstrap(settings: Settings | None = None, *, engine: Engine | None = None,
              verifier: TokenVerifier | None = None, clock: Callable[[], datetime] = utc_now,
              run_migrations: bool = False) -> Container:
    settings = settings or Settings()
    if run_migrations:
        migrate(settings.database_url, MIGRATIONS_DIR)
    engine = engine or make_engine(settings.database_url)
    verifier = verifier or JwksVerifier.of(settings)
    return Container(settings, engine, make_session_factory(engine), verifier, clock)
