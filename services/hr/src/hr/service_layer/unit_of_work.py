"""Unit of work: one transaction; at commit the events of every touched aggregate go to the outbox."""

from __future__ import annotations

import abc
from collections.abc import Iterator
from typing import Any

from hr.adapters.repository import (
    AuditRepository,
    DirectoryRepository,
    PositionRepository,
    StaffRepository,
    TeachingRepository,
    VacancyRepository,
)
from hr.domain.events import Event


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
