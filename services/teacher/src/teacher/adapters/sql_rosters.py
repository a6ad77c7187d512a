"""Roster read models on SQL: classes, enrolments and teaching assignments."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import and_, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from teacher.adapters.orm import assignments, classes, enrolments
from teacher.adapters.repository import RosterRepository
from teacher.domain.rosters import Assignment, ClassInfo, ClassRoster, Enrolment

_CLASS_FIELDS = ("school_id", "aimag", "level", "school_year", "label")
_ASSIGNMENT_FIELDS = ("staff_id", "class_id", "org_id", "subject_code", "school_year", "starts_on", "last_day")


def _class(row: Any) -> ClassInfo:
    return ClassInfo(row.class_id, row.school_id, row.level, row.school_year, row.aimag, row.label)


def _enrolment(row: Any) -> Enrolment:
    return Enrolment(row.learner_id, row.class_id, row.starts_on, row.ends_on)


def _assignment(row: Any) -> Assignment:
    return Assignment(row.assignment_id, row.staff_id, row.class_id, row.org_id, row.subject_code, row.school_year,
                      row.starts_on, row.last_day)


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
        found = self.rosters([class_id])
        return found[0] if found else None

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
