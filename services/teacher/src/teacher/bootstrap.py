"""Composition root: settings → engine, unit of work, reference data, message bus, token verifier.

The ``Container`` is what entry points use (``app.state.container``)::

    sheet = container.handle(commands.MarkAttendance(actor, ...))   # raises teacher.domain.errors.*
    with container.uow() as uow: ...                               # for queries (views)
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from esis_shared.auth import JwksVerifier, TokenVerifier
from esis_shared.db import make_engine, make_session_factory, migrate
from sqlalchemy import Engine

from teacher.adapters.learner_names import EducationRosterNames, LearnerNames, NoNames
from teacher.config import Settings
from teacher.reference import load_reference
from teacher.service_layer.commands import Command
from teacher.service_layer.handlers.common import Context
from teacher.service_layer.messagebus import MessageBus
from teacher.service_layer.unit_of_work import SqlUnitOfWork

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).parent / "migrations"


@dataclass
class Container:
    settings: Settings
    engine: Engine
    context: Context
    bus: MessageBus
    verifier: TokenVerifier
    names: LearnerNames

    def handle(self, command: Command) -> Any:
        return self.bus.handle(command)

    def uow(self) -> SqlUnitOfWork:
        return self.bus.uow_factory()  # type: ignore[return-value]

    def close(self) -> None:
        for closable in (self.verifier, self.names):
            close = getattr(closable, "close", None)
            if close is not None:
                close()
        self.engine.dispose()


def _names(settings: Settings) -> LearnerNames:
    return EducationRosterNames(settings.education_grpc) if settings.education_grpc else NoNames()


def bootstrap(settings: Settings | None = None, *, engine: Engine | None = None,
              clock: Callable[[], datetime] | None = None, new_id: Callable[[], str] | None = None,
              verifier: TokenVerifier | None = None, names: LearnerNames | None = None,
              run_migrations: bool = False) -> Container:
    settings = settings or Settings()
    if run_migrations:
        migrate(settings.database_url, MIGRATIONS_DIR)
    engine = engine or make_engine(settings.database_url)
    sessions = make_session_factory(engine)
    context = Context(load_reference(), **{k: v for k, v in (("now", clock), ("new_id", new_id)) if v})
    bus = MessageBus(lambda: SqlUnitOfWork(sessions), context)
    verifier = verifier or JwksVerifier.of(settings)
    return Container(settings, engine, context, bus, verifier, names or _names(settings))
