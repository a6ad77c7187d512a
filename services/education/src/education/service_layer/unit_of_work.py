"""Ports: the repositories a handler needs and the unit of work that commits them in one transaction.

A unit of work remembers every aggregate it handed out. On commit it (1) refuses if a changed aggregate was
changed by someone else since it was read (optimistic version check), (2) stages the events those aggregates
recorded in the outbox, and (3) commits — all or nothing.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable
from datetime import date
from typing import Any, Generic, TypeVar

from education.domain.admission import AdmissionApplication, ApplicationState
from education.domain.audit import AccessLogEntry
from education.domain.calendar import SchoolYear
from education.domain.classes import SchoolClass
from education.domain.curriculum import Subject
from education.domain.guardians import Guardian
from education.domain.imports import ImportJob
from education.domain.learners import Learner
from education.domain.org import OrgUnit
from education.domain.timetable import Timetable
from education.domain.transfer import Transfer

T = TypeVar("T")


class Repository(abc.ABC, Generic[T]):
    def __init__(self) -> None:
        self._seen: dict[int, Any] = {}

    @property
    def seen(self) -> list[Any]:
        return list(self._seen.values())

    def add(self, item: T) -> None:
        self._add(item)
        self._seen[id(item)] = item

    def get(self, ident: str) -> T | None:
        return self._track(self._get(ident))

    def _track(self, item: T | None) -> T | None:
        if item is not None:
            self._seen.setdefault(id(item), item)
        return item

    def _track_all(self, items: Iterable[T]) -> list[T]:
        return [x for x in (self._track(i) for i in items) if x is not None]

    @abc.abstractmethod
    def _add(self, item: T) -> None: ...

    @abc.abstractmethod
    def _get(self, ident: str) -> T | None: ...


class OrgUnits(Repository[OrgUnit]):
    @abc.abstractmethod
    def all(self) -> list[OrgUnit]: ...

    @abc.abstractmethod
    def by_code(self, code: str) -> OrgUnit | None: ...


class SchoolYears(Repository[SchoolYear]):
    @abc.abstractmethod
    def all(self) -> list[SchoolYear]: ...


class Subjects(Repository[Subject]):
    @abc.abstractmethod
    def all(self) -> list[Subject]: ...


class Classes(Repository[SchoolClass]):
    @abc.abstractmethod
    def for_school(self, school_id: str, year_id: str | None = None) -> list[SchoolClass]: ...


class Timetables(Repository[Timetable]):
    @abc.abstractmethod
    def for_year(self, year_id: str) -> list[Timetable]: ...


class Learners(Repository[Learner]):
    @abc.abstractmethod
    def by_register_number(self, register_number: str) -> Learner | None: ...

    @abc.abstractmethod
    def by_names(self, family_name: str, given_name: str, birth_date: date) -> list[Learner]: ...

    @abc.abstractmethod
    def in_class(self, class_id: str, as_of: date) -> list[Learner]: ...

    @abc.abstractmethod
    def enrolled_at(self, school_ids: Iterable[str], on: date) -> list[Learner]: ...

    @abc.abstractmethod
    def counts_by_class(self, class_ids: Iterable[str], on: date) -> dict[str, int]:
        """Learners enrolled on ``on`` per class (classes without learners are left out)."""

    @abc.abstractmethod
    def enrolment_counts(self, school_ids: Iterable[str], on: date) -> dict[tuple[str, str], int]:
        """Learners enrolled on ``on`` per (level, sex), counted by the store (census of a whole country)."""


class Guardians(Repository[Guardian]):
    pass


class Applications(Repository[AdmissionApplication]):
    @abc.abstractmethod
    def for_school(self, school_id: str, state: ApplicationState | None = None) -> list[AdmissionApplication]: ...


class Transfers(Repository[Transfer]):
    @abc.abstractmethod
    def open_for_learner(self, learner_id: str) -> Transfer | None: ...

    @abc.abstractmethod
    def for_school(self, school_id: str) -> list[Transfer]: ...

    @abc.abstractmethod
    def for_learner(self, learner_id: str) -> list[Transfer]: ...

    @abc.abstractmethod
    def open(self) -> list[Transfer]: ...


class ImportJobs(Repository[ImportJob]):
    @abc.abstractmethod
    def for_school(self, school_id: str, limit: int = 20) -> list[ImportJob]:
        """The school's latest imports, newest first."""


class AccessLog(abc.ABC):
    @abc.abstractmethod
    def add(self, entry: AccessLogEntry) -> None: ...

    @abc.abstractmethod
    def for_learner(self, learner_id: str) -> list[AccessLogEntry]: ...


class AbstractUnitOfWork(abc.ABC):
    org_units: OrgUnits
    school_years: SchoolYears
    subjects: Subjects
    classes: Classes
    timetables: Timetables
    learners: Learners
    guardians: Guardians
    applications: Applications
    transfers: Transfers
    import_jobs: ImportJobs
    access_log: AccessLog

    def __enter__(self) -> AbstractUnitOfWork:
        return self

    def __exit__(self, *args: object) -> None:
        self.rollback()

    def repositories(self) -> list[Repository[Any]]:
        return [self.org_units, self.school_years, self.subjects, self.classes, self.timetables, self.learners,
                self.guardians, self.applications, self.transfers, self.import_jobs]

    def changed_aggregates(self) -> list[Any]:
        return [item for repo in self.repositories() for item in repo.seen if item.changed]

    def commit(self) -> None:
        changed = self.changed_aggregates()
        staged = [event for item in changed for event in item.events]
        self._commit(changed, staged)
        for item in changed:
            item.events.clear()
            item.changed = False

    @abc.abstractmethod
    def _commit(self, changed: list[Any], events: list[Any]) -> None:
        """Check versions of ``changed``, bump them, stage ``events`` in the outbox and commit."""

    @abc.abstractmethod
    def rollback(self) -> None: ...
