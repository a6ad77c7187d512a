"""Composition root: settings → engine, session factory, unit of work (with the outbox), message bus.

Entry points use the ``Container``::

    container.handle(command, actor)      # runs the command's handler in its own transaction
    container.context(actor)              # for service_layer.views (reads, with the access log)
"""

from __future__ import annotations

import logging
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import Any

from esis_shared.db import make_engine, make_session_factory, migrate, ping
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from education.adapters.messages import outbox_stager
from education.adapters.repository import SqlUnitOfWork
from education.config import Settings
from education.domain.access import Actor, Role
from education.service_layer import commands
from education.service_layer.clock import Clock
from education.service_layer.handlers.common import Context
from education.service_layer.messagebus import MessageBus
from education.service_layer.reference import load_hierarchy

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).parent / "migrations"
SYSTEM = Actor("education-scheduler", Role.SERVICE)


@dataclass
class Container:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Clock
    bus: MessageBus
    # Imports run one at a time beside the requests (SQLite has one writer; a school rarely sends two at once).
    importer: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=1, thread_name_prefix="education-import"))

    def uow(self) -> SqlUnitOfWork:
        return self.bus.uow_factory()  # type: ignore[return-value]

    def handle(self, command: commands.Command, actor: Actor) -> Any:
        return self.bus.handle(command, actor)

    def context(self, actor: Actor) -> Context:
        return self.bus.context(actor)

    def start_import(self, command: commands.StartClassImport | commands.ConfirmClassImport,
                     actor: Actor) -> tuple[str, Future[Any]]:
        """Record the import job and run it in the background; the future ends with the job's state."""
        job_id = self.handle(command, actor)
        return job_id, self.importer.submit(self.handle, commands.RunClassImport(job_id), actor)

    def ready(self) -> bool:
        return ping(self.engine)

    def escalate_stale_transfers(self) -> list[str]:
        after = timedelta(days=self.settings.transfer_escalation_days)
        return self.handle(commands.EscalateStaleTransfers(after), SYSTEM)

    def close(self) -> None:
        self.importer.shutdown(wait=True, cancel_futures=True)
        self.engine.dispose()


def bootstrap(settings: Settings | None = None, *, engine: Engine | None = None, clock: Clock | None = None,
              run_migrations: bool = False) -> Container:
    settings = settings or Settings()
    clock = clock or Clock()
    if run_migrations:
        migrate(settings.database_url, MIGRATIONS_DIR)
    engine = engine or make_engine(settings.database_url)
    session_factory = make_session_factory(engine)
    uow_factory = partial(SqlUnitOfWork, session_factory, outbox_stager(clock.today))
    container = Container(settings, engine, session_factory, clock, MessageBus(uow_factory, clock))
    if settings.load_reference_data:
        created = load_hierarchy(container.uow(), with_demo_soums=settings.demo_soums)
        if created:
            log.info("loaded %d reference organisation units", created)
    return container
