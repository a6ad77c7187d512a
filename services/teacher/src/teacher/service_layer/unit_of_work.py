"""Unit of work: one transaction; at commit the new events of every touched aggregate go to the outbox."""

from __future__ import annotations

import abc
import logging
from collections.abc import Iterator
from typing import Any

from esis_shared.outbox import stage_event
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from teacher.adapters.messages import to_outgoing
from teacher.adapters.repository import (
    AttendanceRepository,
    FeedbackRepository,
    GradeRepository,
    JournalRepository,
    KindergartenRepository,
    RosterRepository,
)
from teacher.adapters.sql_attendance import SqlAttendanceRepository
from teacher.adapters.sql_feedback import SqlFeedbackRepository
from teacher.adapters.sql_grades import SqlGradeRepository
from teacher.adapters.sql_journal import SqlJournalRepository, SqlKindergartenRepository
from teacher.adapters.sql_rosters import SqlRosterRepository
from teacher.domain.errors import Conflict
from teacher.domain.events import Event

log = logging.getLogger(__name__)
SOURCE = "teacher"


class AbstractUnitOfWork(abc.ABC):
    rosters: RosterRepository
    attendance: AttendanceRepository
    grades: GradeRepository
    journal: JournalRepository
    kindergarten: KindergartenRepository
    feedback: FeedbackRepository

    def __enter__(self) -> AbstractUnitOfWork:
        self._emitted: list[Event] = []
        return self

    def __exit__(self, *args: Any) -> None:
        self.rollback()

    def emit(self, *events: Event) -> None:
        """Events that belong to no aggregate (a mark recorded)."""
        self._emitted.extend(events)

    def commit(self) -> None:
        """Stage the collected events and commit, atomically."""
        self._stage(list(self.collect_new_events()))
        self._commit()

    def collect_new_events(self) -> Iterator[Event]:
        for repository in (self.attendance, self.grades, self.journal, self.kindergarten, self.feedback):
            for aggregate in repository.seen:
                while aggregate.events:
                    yield aggregate.events.pop(0)
        while self._emitted:
            yield self._emitted.pop(0)

    @abc.abstractmethod
    def _stage(self, events: list[Event]) -> None: ...

    @abc.abstractmethod
    def _commit(self) -> None: ...

    @abc.abstractmethod
    def rollback(self) -> None: ...


def concurrent_change() -> Conflict:
    return Conflict("Someone changed the same record at the same moment; reload and try again",
                    "Өөр хэрэглэгч яг энэ үед ижил бичлэгийг өөрчилсөн; хуудсаа шинэчлээд дахин оролдоно уу.",
                    code="concurrent_change")


class SqlUnitOfWork(AbstractUnitOfWork):
    """One SQLAlchemy transaction; ``commit`` writes the events to the outbox and commits both together."""

    def __init__(self, session_factory: sessionmaker[Session]) -> None:
        self._session_factory = session_factory

    def __enter__(self) -> SqlUnitOfWork:
        super().__enter__()
        self.session = self._session_factory()
        self.rosters = SqlRosterRepository(self.session)
        self.attendance = SqlAttendanceRepository(self.session)
        self.grades = SqlGradeRepository(self.session)
        self.journal = SqlJournalRepository(self.session)
        self.kindergarten = SqlKindergartenRepository(self.session)
        self.feedback = SqlFeedbackRepository(self.session)
        return self

    def __exit__(self, exc_type: Any, exc: BaseException | None, tb: Any) -> None:
        super().__exit__(exc_type, exc, tb)
        self.session.close()
        if isinstance(exc, IntegrityError):  # a unique row written by a concurrent transaction first
            log.info("integrity error, reported as a concurrent change", exc_info=exc)
            raise concurrent_change() from exc

    def commit(self) -> None:
        try:
            super().commit()
        except IntegrityError:
            log.info("integrity error at commit, reported as a concurrent change", exc_info=True)
            self.session.rollback()
            raise concurrent_change() from None

    def _stage(self, events: list[Event]) -> None:
        self.session.flush()
        for event in events:
            out = to_outgoing(event)
            stage_event(self.session, topic=out.topic, key=out.key, message=out.message, source=SOURCE,
                        subject=out.subject, aimag=out.aimag)

    def _commit(self) -> None:
        self.session.commit()

    def rollback(self) -> None:
        self.session.rollback()
