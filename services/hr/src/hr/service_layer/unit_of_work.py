"""Unit of work: one transaction; at commit the events of every touched aggregate go to the outbox."""

from __future__ import annotations

import abc
import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from typing import Any

from esis_shared.outbox import stage_event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from hr.adapters.catalogue_repository import SqlAuditRepository, SqlPositionRepository, SqlVacancyRepository
from hr.adapters.directory_repository import SqlDirectoryRepository
from hr.adapters.messages import to_outgoing
from hr.adapters.repository import (
    AuditRepository,
    DirectoryRepository,
    PositionRepository,
    StaffRepository,
    TeachingRepository,
    VacancyRepository,
)
from hr.adapters.staff_repository import SqlStaffRepository, concurrent_change
from hr.adapters.teaching_repository import SqlTeachingRepository
from hr.domain.events import Event

log = logging.getLogger(__name__)
SOURCE = "hr"


def _utc_now() -> datetime:
    return datetime.now(UTC)


class AbstractUnitOfWork(abc.ABC):
    staff: StaffRepository
    positions: PositionRepository
    vacancies: VacancyRepository
    teaching: TeachingRepository
    directory: DirectoryRepository
    audit: AuditRepository

    def __enter__(self) -> AbstractUnitOfWork:
        return self

    def __exit__(self, *args: Any) -> None:
        self.rollback()

    def commit(self) -> None:
        """Stage the collected events and commit, atomically."""
        self._stage(list(self.collect_new_events()))
        self._commit()

    def collect_new_events(self) -> Iterator[Event]:
        for repository in (self.staff, self.vacancies, self.teaching):
            for aggregate in repository.seen:
                events: list[Event] = aggregate.events  # type: ignore[attr-defined]
                while events:
                    yield events.pop(0)

    @abc.abstractmethod
    def _stage(self, events: list[Event]) -> None: ...

    @abc.abstractmethod
    def _commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...


class SqlUnitOfWork(AbstractUnitOfWork):
    """One SQLAlchemy transaction; ``commit`` writes changed aggregates, then their events, then commits."""

    def __init__(self, session_factory: sessionmaker[Session], clock: Callable[[], datetime] = _utc_now) -> None:
        self._session_factory = session_factory
        self._clock = clock

    def __enter__(self) -> SqlUnitOfWork:
        self.session = self._session_factory()
        self.staff = SqlStaffRepository(self.session)
        self.positions = SqlPositionRepository(self.session)
        self.vacancies = SqlVacancyRepository(self.session)
        self.teaching = SqlTeachingRepository(self.session)
        self.directory = SqlDirectoryRepository(self.session)
        self.audit = SqlAuditRepository(self.session)
        return self

    def __exit__(self, *args: Any) -> None:
        super().__exit__(*args)
        self.session.close()

    def commit(self) -> None:
        try:
            super().commit()
        except IntegrityError:
            log.warning("integrity error at commit, reported as a concurrent change", exc_info=True)
            self.session.rollback()
            raise concurrent_change() from None

    def _stage(self, events: list[Event]) -> None:
        self.staff.flush()  # staff first: vacancies and assignments refer to them
        self.vacancies.flush()
        self.teaching.flush()
        at = self._clock()
        for event in events:
            out = to_outgoing(event, at)
            org = self.directory.org(out.org_id) if out.org_id else None
            stage_event(self.session, topic=out.topic, key=out.key, message=out.message, source=SOURCE,
                        aimag=org.aimag_code if org else None)

    def _commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
