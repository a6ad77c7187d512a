"""Unit of work: one transaction; at commit the new events of every touched aggregate go to the outbox."""

from __future__ import annotations

import abc
from collections.abc import Iterator
from typing import Any

from teacher.adapters.repository import (
    AttendanceRepository,
    FeedbackRepository,
    GradeRepository,
    JournalRepository,
    KindergartenRepository,
    RosterRepository,
)
from teacher.domain.events import Event


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
