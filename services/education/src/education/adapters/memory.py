"""An in-memory unit of work with the same rules as the SQL one (version checks, unique keys, all-or-nothing).

Each unit of work works on copies, like a database session, so two of them can race in a test.
"""

from __future__ import annotations

import copy
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from education.domain.admission import AdmissionApplication, ApplicationState
from education.domain.audit import AccessLogEntry
from education.domain.calendar import SchoolYear
from education.domain.classes import SchoolClass
from education.domain.curriculum import Subject
from education.domain.errors import ConcurrentChange, Conflict
from education.domain.imports import ImportJob
from education.domain.learners import Learner
from education.domain.org import OrgUnit
from education.domain.people import same_name
from education.domain.timetable import Timetable
from education.domain.transfer import Transfer
from education.service_layer import unit_of_work as ports

UniqueKey = Callable[[Any], tuple[Any, ...]]
UNIQUE: dict[str, UniqueKey] = {
    "org_units": lambda u: (u.code,),
    "classes": lambda c: (c.school_id, c.year_id, c.level_code, c.letter),
    "learners": lambda learner: (learner.register_number,),
}


class Store:
    """The 'database': committed aggregates per table, the outbox and the access log."""

    def __init__(self) -> None:
        self.tables: dict[str, dict[str, Any]] = {name: {} for name in (
            "org_units", "school_years", "subjects", "classes", "timetables", "learners", "guardians",
            "applications", "transfers", "import_jobs")}
        self.outbox: list[Any] = []
        self.access_log: list[AccessLogEntry] = []


class _Repo:
    table = ""

    def __init__(self, store: Store) -> None:
        super().__init__()
        self.rows = store.tables[self.table]
        self.loaded: dict[str, int] = {}
        self.new: dict[str, Any] = {}

    def _add(self, item: Any) -> None:
        self.new[item.id] = item

    def _get(self, ident: str) -> Any:
        if ident in self.new:
            return self.new[ident]
        for item in self.seen:  # type: ignore[attr-defined]
            if item.id == ident:
                return item
        row = self.rows.get(ident)
        return None if row is None else self._load(row)

    def _load(self, row: Any) -> Any:
        mine = next((x for x in self.seen if x.id == row.id), None)  # type: ignore[attr-defined]
        if mine is not None:
            return mine
        item = copy.deepcopy(row)
        self.loaded[item.id] = row.version
        return item

    def _where(self, predicate: Callable[[Any], bool]) -> list[Any]:
        stored = [self._load(row) for row in self.rows.values() if row.id not in self.new]
        return self._track_all(x for x in [*stored, *self.new.values()] if predicate(x))  # type: ignore[attr-defined]


class MemoryOrgUnits(_Repo, ports.OrgUnits):
    table = "org_units"

    def all(self) -> list[OrgUnit]:
        return self._where(lambda u: True)

    def by_code(self, code: str) -> OrgUnit | None:
        return next(iter(self._where(lambda u: u.code == code)), None)


class MemorySchoolYears(_Repo, ports.SchoolYears):
    table = "school_years"

    def all(self) -> list[SchoolYear]:
        return sorted(self._where(lambda y: True), key=lambda y: y.starts_on)


class MemorySubjects(_Repo, ports.Subjects):
    table = "subjects"

    def all(self) -> list[Subject]:
        return sorted(self._where(lambda s: True), key=lambda s: s.code)


class MemoryClasses(_Repo, ports.Classes):
    table = "classes"

    def for_school(self, school_id: str, year_id: str | None = None) -> list[SchoolClass]:
        return self._where(lambda c: c.school_id == school_id and year_id in (None, c.year_id))


class MemoryTimetables(_Repo, ports.Timetables):
    table = "timetables"

    def for_year(self, year_id: str) -> list[Timetable]:
        return self._where(lambda t: t.year_id == year_id)


class MemoryLearners(_Repo, ports.Learners):
    table = "learners"

    def by_register_number(self, register_number: str) -> Learner | None:
        return next(iter(self._where(lambda x: x.register_number == register_number)), None)

    def by_names(self, family_name: str, given_name: str, birth_date: date) -> list[Learner]:
        return self._where(lambda x: x.birth_date == birth_date and same_name(x.family_name, family_name)
                           and same_name(x.given_name, given_name))

    def in_class(self, class_id: str, as_of: date) -> list[Learner]:
        return self._where(lambda x: (e := x.enrolment_on(as_of)) is not None and e.class_id == class_id)

    def enrolled_at(self, school_ids: Iterable[str], on: date) -> list[Learner]:
        wanted = set(school_ids)
        return self._where(lambda x: (e := x.enrolment_on(on)) is not None and e.school_id in wanted)

    def counts_by_class(self, class_ids: Iterable[str], on: date) -> dict[str, int]:
        wanted = set(class_ids)
        return dict(Counter(e.class_id for x in self._where(lambda _: True) if (e := x.enrolment_on(on))
                            and e.class_id in wanted))

    def enrolment_counts(self, school_ids: Iterable[str], on: date) -> dict[tuple[str, str], int]:
        pairs = [(x.enrolment_on(on).level_code, x.sex.value) for x in self.enrolled_at(school_ids, on)]
        return dict(Counter(pairs))


class MemoryGuardians(_Repo, ports.Guardians):
    table = "guardians"


class MemoryApplications(_Repo, ports.Applications):
    table = "applications"

    def for_school(self, school_id: str, state: ApplicationState | None = None) -> list[AdmissionApplication]:
        return self._where(lambda a: a.school_id == school_id and state in (None, a.state))


class MemoryTransfers(_Repo, ports.Transfers):
    table = "transfers"

    def open_for_learner(self, learner_id: str) -> Transfer | None:
        return next(iter(self._where(lambda t: t.learner_id == learner_id and t.is_open)), None)

    def for_school(self, school_id: str) -> list[Transfer]:
        return self._where(lambda t: school_id in (t.from_school_id, t.to_school_id))

    def for_learner(self, learner_id: str) -> list[Transfer]:
        return self._where(lambda t: t.learner_id == learner_id)

    def open(self) -> list[Transfer]:
        return self._where(lambda t: t.is_open)


class MemoryImportJobs(_Repo, ports.ImportJobs):
    table = "import_jobs"

    def for_school(self, school_id: str, limit: int = 20) -> list[ImportJob]:
        found = self._where(lambda j: j.school_id == school_id)
        return sorted(found, key=lambda j: j.created_at, reverse=True)[:limit]


class MemoryAccessLog(ports.AccessLog):
    def __init__(self, store: Store) -> None:
        self.store = store
        self.pending: list[AccessLogEntry] = []

    def add(self, entry: AccessLogEntry) -> None:
        self.pending.append(entry)

    def for_learner(self, learner_id: str) -> list[AccessLogEntry]:
        return [e for e in [*self.store.access_log, *self.pending] if e.learner_id == learner_id]


def _stored(item: Any) -> Any:
    """The committed copy: its events are in the outbox now, so a later reader must not stage them again."""
    stored = copy.deepcopy(item)
    stored.events, stored.changed = [], False
    return stored


class MemoryUnitOfWork(ports.AbstractUnitOfWork):
    def __init__(self, store: Store | None = None) -> None:
        self.store = store or Store()
        self.fail_on_commit = False  # simulates a crash before the transaction commits
        self._open()

    def __enter__(self) -> MemoryUnitOfWork:
        self._open()
        return self

    def _open(self) -> None:
        self.org_units, self.school_years = MemoryOrgUnits(self.store), MemorySchoolYears(self.store)
        self.subjects, self.classes = MemorySubjects(self.store), MemoryClasses(self.store)
        self.timetables, self.learners = MemoryTimetables(self.store), MemoryLearners(self.store)
        self.guardians, self.applications = MemoryGuardians(self.store), MemoryApplications(self.store)
        self.transfers, self.access_log = MemoryTransfers(self.store), MemoryAccessLog(self.store)
        self.import_jobs = MemoryImportJobs(self.store)

    def _commit(self, changed: list[Any], events: list[Any]) -> None:
        writes = [(repo, item) for repo in self.repositories() for item in repo.seen if item.changed]
        for repo, item in writes:
            self._check(repo, item)
        if self.fail_on_commit:
            raise RuntimeError("simulated crash before commit")
        for repo, item in writes:
            if item.id not in repo.new:
                item.version += 1
            repo.rows[item.id] = _stored(item)
            repo.loaded[item.id] = item.version
        for repo in self.repositories():
            repo.new.clear()
        self.store.outbox.extend(events)
        self.store.access_log.extend(self.access_log.pending)
        self.access_log.pending = []

    def _check(self, repo: Any, item: Any) -> None:
        stored = repo.rows.get(item.id)
        if item.id in repo.new:
            if stored is not None:
                raise Conflict("Ийм дугаартай бичлэг аль хэдийн байна.", "A record with this id exists.",
                               code="duplicate_id")
        elif stored is None or stored.version != repo.loaded.get(item.id):
            raise ConcurrentChange(repo.table)
        key = UNIQUE.get(repo.table)
        if key and any(key(row) == key(item) for row in repo.rows.values() if row.id != item.id):
            raise Conflict("Давхардсан бичлэг.", f"Duplicate {repo.table} key {key(item)}.",
                           code=f"duplicate_{repo.table}")

    def rollback(self) -> None:
        self.access_log.pending = []
