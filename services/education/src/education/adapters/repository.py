"""SQL repositories and the SQL unit of work (same rules as adapters.memory, on a real database)."""

from __future__ import annotations

import dataclasses
import enum
import functools
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Table, and_, delete, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from education.adapters import orm
from education.adapters.codec import decode, encode, hints_of
from education.domain.admission import AdmissionApplication, ApplicationState
from education.domain.audit import AccessLogEntry
from education.domain.calendar import SchoolYear
from education.domain.classes import SchoolClass
from education.domain.curriculum import Subject
from education.domain.errors import ConcurrentChange, Conflict
from education.domain.guardians import Guardian
from education.domain.imports import ImportJob
from education.domain.learners import Enrolment, Learner
from education.domain.org import OrgUnit, ParentLink
from education.domain.people import same_name
from education.domain.timetable import Timetable
from education.domain.transfer import OPEN_STATES, Transfer
from education.service_layer import unit_of_work as ports

StageEvents = Callable[[Session, list[Any]], None]


class _SqlRepo:
    table: Table
    cls: type

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self.loaded: dict[str, int] = {}
        self.new: set[str] = set()
        self.cache: dict[str, Any] = {}

    def _add(self, item: Any) -> None:
        self.new.add(item.id)
        self.cache[item.id] = item

    def _get(self, ident: str) -> Any:
        if ident in self.cache:
            return self.cache[ident]
        found = self._select(self.table.c.id == ident)
        return found[0] if found else None

    def _select(self, *where: ColumnElement[bool], order_by: Any = None) -> list[Any]:
        stmt = select(self.table).where(*where)
        return self._load(self.session.execute(stmt.order_by(order_by) if order_by is not None else stmt))

    def _load(self, result: Any) -> list[Any]:
        fresh, items = [], []
        for row in result.mappings().all():
            item = self.cache.get(row["id"])
            if item is None:
                item = self.cache[row["id"]] = self._from_row(row)
                fresh.append(item)
            items.append(item)
        self._load_children(fresh)
        return self._track_all(items)  # type: ignore[attr-defined]

    def _from_row(self, row: Any) -> Any:
        hints = hints_of(self.cls)
        item = self.cls(**{c: decode(hints[c], row[c]) for c in _names(self.table) if c in hints and c != "version"})
        item.version = self.loaded[item.id] = row["version"]
        item.events, item.changed = [], False
        return item

    def _to_row(self, item: Any) -> dict[str, Any]:
        return {c: _column_value(getattr(item, c)) for c in _names(self.table) if c != "version"}

    def save(self, item: Any) -> None:
        if item.id in self.new:
            self.session.execute(insert(self.table).values(**self._to_row(item), version=item.version))
            self.new.discard(item.id)
        else:
            self._update(item)
        self.loaded[item.id] = item.version
        self._save_children(item)

    def _update(self, item: Any) -> None:
        expected = self.loaded[item.id]
        stmt = (update(self.table).where(self.table.c.id == item.id, self.table.c.version == expected)
                .values(**self._to_row(item), version=expected + 1))
        if self.session.execute(stmt).rowcount != 1:
            raise ConcurrentChange(self.table.name)
        item.version = expected + 1

    def _load_children(self, items: list[Any]) -> None:
        """Aggregates with child tables load them here, in one query for all ``items``."""

    def _save_children(self, item: Any) -> None:
        """…and rewrite them here."""


_PLAIN = frozenset({str, int, bool, float, date})


@functools.cache
def _names(table: Table) -> tuple[str, ...]:
    return tuple(column.name for column in table.columns)


def table_row(table: Table, item: Any) -> dict[str, Any]:
    """An aggregate as a full row of its table, version included (for the bulk paths' COPY)."""
    return {c: _column_value(getattr(item, c)) for c in _names(table)}


def enrolment_row(learner_id: str, enrolment: Enrolment) -> dict[str, Any]:
    return {"learner_id": learner_id, **_column_values(enrolment)}


def _column_value(value: Any) -> Any:
    if value is None or type(value) in _PLAIN:
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, list | dict | tuple) or (dataclasses.is_dataclass(value) and not isinstance(value, type)):
        return encode(value)
    return value


class SqlOrgUnits(_SqlRepo, ports.OrgUnits):
    table, cls = orm.org_units, OrgUnit

    def all(self) -> list[OrgUnit]:
        return self._select()

    def by_code(self, code: str) -> OrgUnit | None:
        return next(iter(self._select(orm.org_units.c.code == code)), None)

    def _load_children(self, items: list[Any]) -> None:
        by_id = {u.id: u for u in items}
        if not by_id:
            return
        for unit in items:
            unit.links = []
        rows = self.session.execute(select(orm.org_links).where(orm.org_links.c.unit_id.in_(list(by_id)))
                                    .order_by(orm.org_links.c.valid_from)).mappings()
        for row in rows:
            by_id[row["unit_id"]].links.append(ParentLink(row["parent_id"], row["valid_from"], row["valid_to"]))

    def _save_children(self, item: Any) -> None:
        self.session.execute(delete(orm.org_links).where(orm.org_links.c.unit_id == item.id))
        for link in item.links:
            self.session.execute(insert(orm.org_links).values(unit_id=item.id, parent_id=link.parent_id,
                                                              valid_from=link.valid_from, valid_to=link.valid_to))


class SqlSchoolYears(_SqlRepo, ports.SchoolYears):
    table, cls = orm.school_years, SchoolYear

    def all(self) -> list[SchoolYear]:
        return self._select(order_by=orm.school_years.c.starts_on)


class SqlSubjects(_SqlRepo, ports.Subjects):
    table, cls = orm.subjects, Subject

    def all(self) -> list[Subject]:
        return self._select(order_by=orm.subjects.c.code)


class SqlClasses(_SqlRepo, ports.Classes):
    table, cls = orm.classes, SchoolClass

    def for_school(self, school_id: str, year_id: str | None = None) -> list[SchoolClass]:
        where = [orm.classes.c.school_id == school_id]
        if year_id:
            where.append(orm.classes.c.year_id == year_id)
        return self._select(*where)


class SqlTimetables(_SqlRepo, ports.Timetables):
    table, cls = orm.timetables, Timetable

    def for_year(self, year_id: str) -> list[Timetable]:
        return self._select(orm.timetables.c.year_id == year_id)


def _active(on: date) -> ColumnElement[bool]:
    e = orm.enrolments.c
    return and_(e.starts_on <= on, or_(e.ends_on.is_(None), e.ends_on > on))


class SqlLearners(_SqlRepo, ports.Learners):
    table, cls = orm.learners, Learner

    def by_register_number(self, register_number: str) -> Learner | None:
        return next(iter(self._select(orm.learners.c.register_number == register_number)), None)

    def by_names(self, family_name: str, given_name: str, birth_date: date) -> list[Learner]:
        born = self._select(orm.learners.c.birth_date == birth_date)
        return [x for x in born if same_name(x.family_name, family_name) and same_name(x.given_name, given_name)]

    def in_class(self, class_id: str, as_of: date) -> list[Learner]:
        return self._enrolled(and_(orm.enrolments.c.class_id == class_id, _active(as_of)))

    def enrolled_at(self, school_ids: Iterable[str], on: date) -> list[Learner]:
        return self._enrolled(and_(orm.enrolments.c.school_id.in_(list(school_ids)), _active(on)))

    def counts_by_class(self, class_ids: Iterable[str], on: date) -> dict[str, int]:
        e = orm.enrolments.c
        stmt = (select(e.class_id, func.count()).where(e.class_id.in_(list(class_ids)), _active(on))
                .group_by(e.class_id))
        return {class_id: n for class_id, n in self.session.execute(stmt)}

    def enrolment_counts(self, school_ids: Iterable[str], on: date) -> dict[tuple[str, str], int]:
        e, x = orm.enrolments.c, orm.learners.c
        counts: dict[tuple[str, str], int] = {}
        for chunk in _chunks(list(school_ids), 1000):
            stmt = (select(e.level_code, x.sex, func.count()).join_from(orm.enrolments, orm.learners)
                    .where(e.school_id.in_(chunk), _active(on)).group_by(e.level_code, x.sex))
            for level, sex, n in self.session.execute(stmt):
                counts[(level, sex)] = counts.get((level, sex), 0) + n
        return counts

    def _enrolled(self, condition: ColumnElement[bool]) -> list[Learner]:
        ids = select(orm.enrolments.c.learner_id).where(condition)
        return self._select(orm.learners.c.id.in_(ids))

    def _load_children(self, items: list[Any]) -> None:
        by_id = {x.id: x for x in items}
        for item in items:
            item.enrolments = []
        for chunk in _chunks(list(by_id), 500):
            rows = self.session.execute(select(orm.enrolments).where(orm.enrolments.c.learner_id.in_(chunk))
                                        .order_by(orm.enrolments.c.starts_on)).mappings()
            for row in rows:
                by_id[row["learner_id"]].enrolments.append(_enrolment(row))

    def _save_children(self, item: Any) -> None:
        self.session.execute(delete(orm.enrolments).where(orm.enrolments.c.learner_id == item.id))
        for e in item.enrolments:
            self.session.execute(insert(orm.enrolments).values(**enrolment_row(item.id, e)))


def _enrolment(row: Any) -> Enrolment:
    hints = hints_of(Enrolment)
    return Enrolment(**{k: decode(hints[k], row[k]) for k in hints})


def _column_values(item: Any) -> dict[str, Any]:
    return {k: _column_value(getattr(item, k)) for k in hints_of(type(item))}


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start:start + size]


class SqlGuardians(_SqlRepo, ports.Guardians):
    table, cls = orm.guardians, Guardian


class SqlApplications(_SqlRepo, ports.Applications):
    table, cls = orm.applications, AdmissionApplication

    def for_school(self, school_id: str, state: ApplicationState | None = None) -> list[AdmissionApplication]:
        where = [orm.applications.c.school_id == school_id]
        if state is not None:
            where.append(orm.applications.c.state == state.value)
        return self._select(*where)


class SqlTransfers(_SqlRepo, ports.Transfers):
    table, cls = orm.transfers, Transfer
    _open = orm.transfers.c.state.in_([s.value for s in OPEN_STATES])

    def open_for_learner(self, learner_id: str) -> Transfer | None:
        return next(iter(self._select(orm.transfers.c.learner_id == learner_id, self._open)), None)

    def for_school(self, school_id: str) -> list[Transfer]:
        t = orm.transfers.c
        return self._select(or_(t.from_school_id == school_id, t.to_school_id == school_id))

    def for_learner(self, learner_id: str) -> list[Transfer]:
        return self._select(orm.transfers.c.learner_id == learner_id, order_by=orm.transfers.c.requested_at)

    def open(self) -> list[Transfer]:
        return self._select(self._open)


class SqlImportJobs(_SqlRepo, ports.ImportJobs):
    table, cls = orm.import_jobs, ImportJob

    def for_school(self, school_id: str, limit: int = 20) -> list[ImportJob]:
        j = orm.import_jobs.c
        return self._load(self.session.execute(select(orm.import_jobs).where(j.school_id == school_id)
                                               .order_by(j.created_at.desc()).limit(limit)))


class SqlAccessLog(ports.AccessLog):
    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, entry: AccessLogEntry) -> None:
        self.session.execute(insert(orm.access_log).values(**_column_values(entry)))

    def for_learner(self, learner_id: str) -> list[AccessLogEntry]:
        rows = self.session.execute(select(orm.access_log).where(orm.access_log.c.learner_id == learner_id)
                                    .order_by(orm.access_log.c.at.desc())).mappings()
        return [AccessLogEntry(**{k: row[k] for k in hints_of(AccessLogEntry)}) for row in rows]


class SqlUnitOfWork(ports.AbstractUnitOfWork):
    def __init__(self, session_factory: sessionmaker[Session], stage_events: StageEvents | None = None) -> None:
        self.session_factory = session_factory
        self.stage_events = stage_events
        self.session: Session | None = None

    def __enter__(self) -> SqlUnitOfWork:
        self.session = session = self.session_factory()
        self.org_units, self.school_years = SqlOrgUnits(session), SqlSchoolYears(session)
        self.subjects, self.classes = SqlSubjects(session), SqlClasses(session)
        self.timetables, self.learners = SqlTimetables(session), SqlLearners(session)
        self.guardians, self.applications = SqlGuardians(session), SqlApplications(session)
        self.transfers, self.access_log = SqlTransfers(session), SqlAccessLog(session)
        self.import_jobs = SqlImportJobs(session)
        return self

    def __exit__(self, *args: object) -> None:
        super().__exit__(*args)
        if self.session is not None:
            self.session.close()
            self.session = None

    def _commit(self, changed: list[Any], events: list[Any]) -> None:
        assert self.session is not None, "use the unit of work in a with block"
        try:
            for repo in self.repositories():
                for item in [x for x in repo.seen if x.changed]:
                    repo.save(item)  # type: ignore[attr-defined]
            if self.stage_events is not None:
                self.stage_events(self.session, events)
            self.session.commit()
        except IntegrityError as exc:
            self.session.rollback()
            raise Conflict("Давхардсан бичлэг.", "The change collides with an existing record.",
                           code="duplicate_record") from exc

    def rollback(self) -> None:
        if self.session is not None:
            self.session.rollback()
