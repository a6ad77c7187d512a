"""SQL repository of class teaching: a class's assignments of one school year, versioned against races."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import and_, insert, or_, select, update
from sqlalchemy.orm import Session

from hr.adapters.orm import class_teaching, teaching_assignments
from hr.adapters.repository import TeachingRepository
from hr.adapters.staff_repository import concurrent_change
from hr.adapters.sync import Row, sync_by_id
from hr.domain.assignments import ClassTeaching, TeachingAssignment
from hr.domain.kinds import UnassignReason
from hr.domain.values import Period, SchoolYear

ta = teaching_assignments
Key = tuple[str, SchoolYear]


def _row(a: TeachingAssignment) -> Row:
    return {"id": a.id, "class_id": a.class_id, "school_year": a.school_year.label, "staff_id": a.staff_id,
            "org_id": a.org_id, "subject_code": a.subject_code, "weekly_hours": a.weekly_hours,
            "start_date": a.period.start, "end_date": a.period.end,
            "end_reason": a.end_reason.value if a.end_reason else None, "cancelled": a.cancelled}


def _assignment(r: Any) -> TeachingAssignment:
    return TeachingAssignment(r.id, r.staff_id, r.class_id, r.org_id, r.subject_code, SchoolYear.parse(r.school_year),
                              r.weekly_hours, Period(r.start_date, r.end_date),
                              UnassignReason(r.end_reason) if r.end_reason else None, r.cancelled)


class SqlTeachingRepository(TeachingRepository):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session
        self._loaded: dict[Key, tuple[ClassTeaching, int | None, dict[str, Row]]] = {}

    def _add(self, teaching: ClassTeaching) -> None:
        self._loaded[(teaching.class_id, teaching.school_year)] = (teaching, None, {})

    def _get(self, class_id: str, school_year: SchoolYear) -> ClassTeaching | None:
        key = (class_id, school_year)
        if key not in self._loaded:
            teaching = self._read(class_id, school_year)
            if teaching is None:
                return None
            self._loaded[key] = (teaching, teaching.version, {a.id: _row(a) for a in teaching.assignments})
        return self._loaded[key][0]

    def _read(self, class_id: str, year: SchoolYear) -> ClassTeaching | None:
        head = self.session.execute(select(class_teaching).where(
            class_teaching.c.class_id == class_id, class_teaching.c.school_year == year.label)).first()
        if head is None:
            return None
        stmt = select(ta).where(ta.c.class_id == class_id, ta.c.school_year == year.label).order_by(ta.c.start_date)
        found = [_assignment(r) for r in self.session.execute(stmt)]
        return ClassTeaching(class_id, head.org_id, year, found, head.version)

    def _get_by_assignment(self, assignment_id: str) -> ClassTeaching | None:
        row = self.session.execute(select(ta.c.class_id, ta.c.school_year).where(ta.c.id == assignment_id)).first()
        return self._get(row.class_id, SchoolYear.parse(row.school_year)) if row else None

    def _open_for_staff(self, staff_id: str, org_id: str, after: date) -> list[ClassTeaching]:
        stmt = select(ta.c.class_id, ta.c.school_year).distinct().where(
            ta.c.staff_id == staff_id, ta.c.org_id == org_id, ta.c.cancelled.is_(False),
            or_(ta.c.end_date.is_(None), ta.c.end_date > after + timedelta(days=1)))
        found = (self._get(r.class_id, SchoolYear.parse(r.school_year)) for r in self.session.execute(stmt))
        return [t for t in found if t is not None]

    def for_staff(self, staff_id: str, day: date | None = None) -> list[TeachingAssignment]:
        return self._query(ta.c.staff_id == staff_id, day)

    def for_class(self, class_id: str, day: date | None = None) -> list[TeachingAssignment]:
        return self._query(ta.c.class_id == class_id, day)

    def for_org(self, org_id: str, day: date) -> list[TeachingAssignment]:
        return self._query(ta.c.org_id == org_id, day)

    def flush(self) -> None:
        for key, (teaching, version, before) in list(self._loaded.items()):
            after = {a.id: _row(a) for a in teaching.assignments}
            if version is None:
                self.session.execute(insert(class_teaching).values(
                    class_id=teaching.class_id, school_year=teaching.school_year.label, org_id=teaching.org_id,
                    version=teaching.version))
            elif after != before:
                self._bump(teaching, version)
            sync_by_id(self.session, ta, before, after)
            self._loaded[key] = (teaching, teaching.version, after)

    def _bump(self, teaching: ClassTeaching, loaded_version: int) -> None:
        result = self.session.execute(update(class_teaching).where(
            class_teaching.c.class_id == teaching.class_id, class_teaching.c.school_year == teaching.school_year.label,
            class_teaching.c.version == loaded_version).values(version=teaching.version))
        if result.rowcount != 1:  # type: ignore[attr-defined]
            raise concurrent_change()

    def _query(self, condition: Any, day: date | None) -> list[TeachingAssignment]:
        stmt = select(ta).where(condition, ta.c.cancelled.is_(False))
        if day is not None:
            stmt = stmt.where(and_(ta.c.start_date <= day, or_(ta.c.end_date.is_(None), ta.c.end_date > day)))
        return [_assignment(r) for r in self.session.execute(stmt.order_by(ta.c.start_date))]
