"""Roster read models on SQL: classes, enrolments and teaching assignments."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from esis_shared.db import upsert_rows
from sqlalchemy import (
    Date,
    String,
    and_,
    bindparam,
    delete,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    tuple_,
    union_all,
    update,
)
from sqlalchemy.orm import Session

from teacher.adapters.orm import assignments, classes, enrolments
from teacher.adapters.repository import RosterRepository
from teacher.domain.rosters import Assignment, ClassInfo, ClassRoster, Enrolment

_CLASS_FIELDS = ("school_id", "aimag", "level", "school_year", "label")
_ASSIGNMENT_FIELDS = ("staff_id", "class_id", "org_id", "subject_code", "school_year", "starts_on", "last_day")
CHUNK = 500  # ids per IN list, rows per multi-row statement


def _class(row: Any) -> ClassInfo:
    return ClassInfo(row.class_id, row.school_id, row.level, row.school_year, row.aimag, row.label)


def _enrolment(row: Any) -> Enrolment:
    return Enrolment(row.learner_id, row.class_id, row.starts_on, row.ends_on)


def _assignment(row: Any) -> Assignment:
    return Assignment(row.assignment_id, row.staff_id, row.class_id, row.org_id, row.subject_code, row.school_year,
                      row.starts_on, row.last_day)


def _roster_query() -> Any:
    """The class (kind "c"), its enrolments ("e") and assignments ("a") as rows of one shape, for one class."""
    wanted = bindparam("class_id")
    text_, day = String(), Date()
    none_text, none_day = null().cast(text_), null().cast(day)
    c, e, a = classes.c, enrolments.c, assignments.c
    return union_all(
        select(literal("c").label("kind"), c.school_id.label("a"), c.aimag.label("b"), c.level.label("c"),
               c.school_year.label("d"), c.label.label("e"), none_day.label("starts_on"), none_day.label("ends_on"))
        .where(c.class_id == wanted),
        select(literal("e"), e.learner_id, none_text, none_text, none_text, none_text, e.starts_on, e.ends_on)
        .where(e.class_id == wanted),
        select(literal("a"), a.assignment_id, a.staff_id, a.org_id, a.subject_code, a.school_year, a.starts_on,
               a.last_day).where(a.class_id == wanted))


_ROSTER = _roster_query()


def _active(day: date) -> Any:
    return and_(enrolments.c.starts_on <= day, or_(enrolments.c.ends_on.is_(None), enrolments.c.ends_on >= day))


class SqlRosterRepository(RosterRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def class_info(self, class_id: str) -> ClassInfo | None:
        row = self.session.execute(select(classes).where(classes.c.class_id == class_id)).first()
        return _class(row) if row else None

    def save_class(self, info: ClassInfo) -> None:
        values = {name: getattr(info, name) for name in _CLASS_FIELDS}
        done = self.session.execute(update(classes).where(classes.c.class_id == info.class_id).values(**values))
        if done.rowcount == 0:  # type: ignore[attr-defined]
            self.session.execute(insert(classes).values(class_id=info.class_id, **values))

    def roster(self, class_id: str) -> ClassRoster | None:
        """One class with its enrolments and assignments in one round trip (every submission loads one)."""
        found: ClassRoster | None = None
        people: list[Any] = []
        for row in self.session.execute(_ROSTER, {"class_id": class_id}):
            if row.kind == "c":
                found = ClassRoster(ClassInfo(class_id, row.a, row.c, row.d, row.b, row.e))
            else:
                people.append(row)
        if found is None:
            return None
        for row in people:
            if row.kind == "e":
                found.enrolments.append(Enrolment(row.a, class_id, row.starts_on, row.ends_on))
            else:
                found.assignments.append(Assignment(row.a, row.b, class_id, row.c, row.d, row.e, row.starts_on,
                                                    row.ends_on))
        return found

    def rosters(self, class_ids: Iterable[str]) -> list[ClassRoster]:
        wanted = sorted(set(class_ids))
        if not wanted:
            return []
        infos = [_class(r) for r in self.session.execute(select(classes).where(classes.c.class_id.in_(wanted)))]
        found = {info.class_id: ClassRoster(info) for info in infos}
        for row in self.session.execute(select(enrolments).where(enrolments.c.class_id.in_(list(found)))):
            found[row.class_id].enrolments.append(_enrolment(row))
        for row in self.session.execute(select(assignments).where(assignments.c.class_id.in_(list(found)))):
            found[row.class_id].assignments.append(_assignment(row))
        return [found[c] for c in wanted if c in found]

    def classes_with_learners(self, day: date, *, school_id: str | None = None,
                              aimag: str | None = None) -> list[tuple[ClassInfo, int]]:
        learners = func.count(func.distinct(enrolments.c.learner_id))
        query = (select(classes, learners.label("learners"))
                 .join(enrolments, and_(enrolments.c.class_id == classes.c.class_id, _active(day)))
                 .group_by(*classes.c))
        if school_id is not None:
            query = query.where(classes.c.school_id == school_id)
        if aimag is not None:
            query = query.where(classes.c.aimag == aimag)
        return [(_class(row), int(row.learners)) for row in self.session.execute(query)]

    def school_aimag(self, school_id: str) -> str | None:
        return self.session.execute(select(classes.c.aimag).where(classes.c.school_id == school_id,
                                                                  classes.c.aimag.is_not(None)).limit(1)).scalar()

    def enrolments_of_learner(self, learner_id: str) -> list[Enrolment]:
        rows = self.session.execute(select(enrolments).where(enrolments.c.learner_id == learner_id)
                                    .order_by(enrolments.c.starts_on))
        return [_enrolment(row) for row in rows]

    def add_enrolment(self, enrolment: Enrolment) -> None:
        self.session.execute(insert(enrolments).values(learner_id=enrolment.learner_id, class_id=enrolment.class_id,
                                                       starts_on=enrolment.starts_on, ends_on=enrolment.ends_on))

    def replace_enrolment(self, old: Enrolment, new: Enrolment) -> None:
        self.session.execute(delete(enrolments).where(
            enrolments.c.learner_id == old.learner_id, enrolments.c.class_id == old.class_id,
            enrolments.c.starts_on == old.starts_on))
        self.add_enrolment(new)

    def assignment(self, assignment_id: str) -> Assignment | None:
        row = self.session.execute(select(assignments).where(assignments.c.assignment_id == assignment_id)).first()
        return _assignment(row) if row else None

    def save_assignment(self, assignment: Assignment) -> None:
        values = {name: getattr(assignment, name) for name in _ASSIGNMENT_FIELDS}
        done = self.session.execute(update(assignments).where(
            assignments.c.assignment_id == assignment.assignment_id).values(**values))
        if done.rowcount == 0:  # type: ignore[attr-defined]
            self.session.execute(insert(assignments).values(assignment_id=assignment.assignment_id, **values))


class BatchRosterRepository(SqlRosterRepository):
    """For a batch of roster events: reads what they touch once, applies them in memory, writes the net change.

    ``load_*`` prefetch the classes or the learners' enrolments a batch needs (anything else is read on first
    use); the roster rules run unchanged against this state; ``flush`` then writes one upsert per table for
    classes and assignments and, for enrolments, deletes the rows that changed or went and inserts the new ones.
    The outcome is the same as handling the events one by one with :class:`SqlRosterRepository`.
    """

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._enrolments: dict[str, list[Enrolment]] = {}
        self._stored: dict[str, list[Enrolment]] = {}
        self._classes: dict[str, ClassInfo | None] = {}
        self._saved_classes: dict[str, ClassInfo] = {}
        self._assignments: dict[str, Assignment] = {}

    # ------------------------------------------------------------ enrolments

    def load_enrolments(self, learner_ids: Iterable[str]) -> None:
        wanted = sorted({learner for learner in learner_ids if learner not in self._enrolments})
        for learner in wanted:
            self._enrolments[learner] = []
        for start in range(0, len(wanted), CHUNK):
            query = select(enrolments).where(enrolments.c.learner_id.in_(wanted[start:start + CHUNK]))
            for row in self.session.execute(query):
                self._enrolments[row.learner_id].append(_enrolment(row))
        for learner in wanted:
            self._stored[learner] = list(self._enrolments[learner])

    def enrolments_of_learner(self, learner_id: str) -> list[Enrolment]:
        self.load_enrolments([learner_id])
        return sorted(self._enrolments[learner_id], key=lambda e: e.starts_on)

    def add_enrolment(self, enrolment: Enrolment) -> None:
        self.load_enrolments([enrolment.learner_id])
        self._enrolments[enrolment.learner_id].append(enrolment)

    def replace_enrolment(self, old: Enrolment, new: Enrolment) -> None:
        self.load_enrolments([old.learner_id])
        kept = [e for e in self._enrolments[old.learner_id]
                if (e.class_id, e.starts_on) != (old.class_id, old.starts_on)]
        self._enrolments[old.learner_id] = kept
        self.add_enrolment(new)

    # ------------------------------------------------------------ classes and assignments

    def load_classes(self, class_ids: Iterable[str]) -> None:
        wanted = sorted({c for c in class_ids if c not in self._classes})
        for class_id in wanted:
            self._classes[class_id] = None
        for start in range(0, len(wanted), CHUNK):
            for row in self.session.execute(select(classes).where(classes.c.class_id.in_(wanted[start:start + CHUNK]))):
                self._classes[row.class_id] = _class(row)

    def class_info(self, class_id: str) -> ClassInfo | None:
        self.load_classes([class_id])
        return self._classes[class_id]

    def save_class(self, info: ClassInfo) -> None:
        self._classes[info.class_id] = info
        self._saved_classes[info.class_id] = info

    def assignment(self, assignment_id: str) -> Assignment | None:
        return self._assignments.get(assignment_id) or super().assignment(assignment_id)

    def save_assignment(self, assignment: Assignment) -> None:
        self._assignments[assignment.assignment_id] = assignment

    # ------------------------------------------------------------ writing

    def flush(self) -> None:
        self._flush_enrolments()
        upsert_rows(self.session, classes, [
            {"class_id": info.class_id, **{name: getattr(info, name) for name in _CLASS_FIELDS}}
            for info in self._saved_classes.values()])
        upsert_rows(self.session, assignments, [
            {"assignment_id": a.assignment_id, **{name: getattr(a, name) for name in _ASSIGNMENT_FIELDS}}
            for a in self._assignments.values()])
        self._saved_classes.clear()
        self._assignments.clear()

    def _flush_enrolments(self) -> None:
        gone: list[tuple[str, str, date]] = []
        new: list[dict[str, Any]] = []
        for learner, now in self._enrolments.items():
            before = {(e.class_id, e.starts_on): e for e in self._stored.get(learner, [])}
            after = {(e.class_id, e.starts_on): e for e in now}
            gone += [(learner, *key) for key, e in before.items() if after.get(key) != e]
            new += [{"learner_id": e.learner_id, "class_id": e.class_id, "starts_on": e.starts_on,
                     "ends_on": e.ends_on} for key, e in after.items() if before.get(key) != e]
            self._stored[learner] = list(now)
        key = tuple_(enrolments.c.learner_id, enrolments.c.class_id, enrolments.c.starts_on)
        for start in range(0, len(gone), CHUNK):
            self.session.execute(delete(enrolments).where(key.in_(gone[start:start + CHUNK])))
        if new:
            self.session.execute(insert(enrolments), new)


