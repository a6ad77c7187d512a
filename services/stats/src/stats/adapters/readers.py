"""Reads of the projections into domain objects (hierarchy, learners, spells, teaching loads, attendance)."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from datetime import date
from fractions import Fraction

from sqlalchemy import Table, and_, case, func, or_, select
from sqlalchemy.orm import Session

from stats.adapters.orm import (
    PROJECTIONS,
    appointments,
    attendance,
    classes,
    learners,
    offsets,
    org_links,
    org_units,
    population,
    qualifications,
    spells,
    teaching,
    withdrawals,
)
from stats.domain.attendance import LearnerAttendance, Mark
from stats.domain.enrolment import Learner, Spell
from stats.domain.hierarchy import Hierarchy, Link, Unit
from stats.domain.indicators import TeacherLoad
from stats.domain.lineage import Offsets
from stats.domain.rules import isced_of


def hierarchy(session: Session) -> Hierarchy:
    links: dict[str, list[Link]] = defaultdict(list)
    for row in session.execute(select(org_links).order_by(org_links.c.unit_id, org_links.c.valid_from)):
        links[row.unit_id].append(Link(row.parent_id, row.valid_from, row.valid_to))
    return Hierarchy(Unit(r.id, r.kind, r.code, r.name, r.opened_on, r.closed_on, links[r.id])
                     for r in session.execute(select(org_units)))


def all_learners(session: Session) -> dict[str, Learner]:
    return {r.id: Learner(r.id, r.sex, r.birth_year) for r in session.execute(select(learners))}


def all_spells(session: Session) -> list[Spell]:
    rows = session.execute(select(spells).order_by(spells.c.learner_id, spells.c.start))
    return [Spell(r.learner_id, r.org_id, r.class_id, r.grade, r.start, r.end) for r in rows]


# (org id, grade, sex, birth year) -> learners placed on one day; sex and birth year are None for a learner whose
# registration event has not been read (yet).
Counts = dict[tuple[str, str, str | None, int | None], int]


def _placements(day: date):  # type: ignore[no-untyped-def]
    """Each learner's spell on ``day`` (the one that started last wins, as ``domain.enrolment.census``): a subquery
    of (learner_id, org_id, grade). Counted by the database: no spell is loaded into Python."""
    ranked = (select(spells.c.learner_id, spells.c.org_id, spells.c.grade,
                     func.row_number().over(partition_by=spells.c.learner_id,
                                            order_by=(spells.c.start.desc(), spells.c.class_id.desc())).label("rank"))
              .where(_active(spells, "start", "end", day)).subquery())
    return select(ranked.c.learner_id, ranked.c.org_id, ranked.c.grade).where(ranked.c.rank == 1).subquery()


def census_counts(session: Session, day: date) -> Counts:
    """Learners placed on ``day`` by school, grade, sex and birth year (GROUP BY in the database)."""
    placed = _placements(day)
    rows = session.execute(
        select(placed.c.org_id, placed.c.grade, learners.c.sex, learners.c.birth_year, func.count())
        .select_from(placed.outerjoin(learners, learners.c.id == placed.c.learner_id))
        .group_by(placed.c.org_id, placed.c.grade, learners.c.sex, learners.c.birth_year))
    return {(org, grade, sex, birth_year): n for org, grade, sex, birth_year, n in rows}


def new_entrant_counts(session: Session, day: date, day_before: date) -> dict[str, int]:
    """Per school: learners in grade 1 on ``day`` who were not in grade 1 on ``day_before`` (not repeaters)."""
    now, before = _placements(day), _placements(day_before)
    rows = session.execute(
        select(now.c.org_id, func.count())
        .select_from(now.outerjoin(before, and_(before.c.learner_id == now.c.learner_id, before.c.grade == "1")))
        .where(now.c.grade == "1", before.c.learner_id.is_(None)).group_by(now.c.org_id))
    return {key: n for key, n in rows}


def class_counts(session: Session, org_ids: set[str], day: date) -> dict[str, int]:
    """Spells covering ``day`` per class of the schools ``org_ids``."""
    rows = session.execute(select(spells.c.class_id, func.count())
                           .where(spells.c.org_id.in_(org_ids), _active(spells, "start", "end", day))
                           .group_by(spells.c.class_id))
    return {key: n for key, n in rows}


def exits(session: Session) -> dict[str, str]:
    """The latest withdrawal reason of every learner who ever withdrew."""
    rows = session.execute(select(withdrawals).order_by(withdrawals.c.learner_id, withdrawals.c.on))
    return {r.learner_id: r.reason for r in rows}


def read_offsets(session: Session) -> Offsets:
    rows = session.execute(select(offsets).order_by(offsets.c.topic, offsets.c.partition))
    return tuple((r.topic, r.partition, r.next_offset) for r in rows)


def _active(table: Table, start: str, end: str, day: date, inclusive_end: bool = False):  # type: ignore[no-untyped-def]
    ends = table.c[end] >= day if inclusive_end else table.c[end] > day
    return and_(table.c[start] <= day, or_(table.c[end].is_(None), ends))


def teacher_loads(session: Session, org_ids: set[str], day: date) -> list[TeacherLoad]:
    """Each teacher's share at each ISCED level on ``day``, weighted by weekly hours and FTE."""
    hours: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    query = (select(teaching.c.staff_id, teaching.c.weekly_hours, classes.c.level)
             .join(classes, classes.c.id == teaching.c.class_id)
             .where(_active(teaching, "start", "last_day", day, inclusive_end=True), teaching.c.org_id.in_(org_ids)))
    for row in session.execute(query):
        hours[row.staff_id][row.level] += max(row.weekly_hours, 1)
    fte = _fte(session, set(hours), day)
    qualified = _qualified(session, set(hours), day)
    loads = []
    for staff_id, by_level in sorted(hours.items()):
        total = sum(by_level.values())
        per_isced: dict[int, int] = defaultdict(int)
        for level, h in by_level.items():
            per_isced[isced_of(level)] += h
        loads += [TeacherLoad(staff_id, isced, Fraction(h, total), fte.get(staff_id, Fraction(1)),
                              staff_id in qualified) for isced, h in sorted(per_isced.items())]
    return loads


def _fte(session: Session, staff: set[str], day: date) -> dict[str, Fraction]:
    rows = session.execute(select(appointments.c.staff_id, func.sum(appointments.c.fte_percent))
                           .where(appointments.c.staff_id.in_(staff), _active(appointments, "start", "end", day))
                           .group_by(appointments.c.staff_id))
    return {staff_id: Fraction(min(total or 100, 100), 100) for staff_id, total in rows}


def _qualified(session: Session, staff: set[str], day: date) -> set[str]:
    """A qualified teacher holds a licence valid on ``day``."""
    rows = session.execute(select(qualifications.c.staff_id).where(
        qualifications.c.staff_id.in_(staff), qualifications.c.licence_valid_until >= day))
    return {r.staff_id for r in rows}


def marks(session: Session, org_ids: set[str], first: date, last: date) -> list[Mark]:
    """Day marks: a learner missed a day when every lesson marked that day was an absence."""
    rows = session.execute(select(attendance.c.learner_id, attendance.c.day, attendance.c.category)
                           .where(attendance.c.org_id.in_(org_ids), attendance.c.day.between(first, last)))
    days: dict[tuple[str, date], list[str]] = defaultdict(list)
    for row in rows:
        days[(row.learner_id, row.day)].append(row.category)
    return [Mark(lid, day, "absent" if all(c.endswith("absence") or c == "absent" for c in cats) else "present")
            for (lid, day), cats in sorted(days.items())]


def learner_attendance(session: Session, org_ids: set[str], first: date, last: date) -> list[LearnerAttendance]:
    """Marked and missed days per learner (as ``per_learner(marks(...))``), counted by the database: a day is
    missed when every lesson marked that day was an absence."""
    absence = or_(attendance.c.category.like("%absence"), attendance.c.category == "absent")
    days = (select(attendance.c.learner_id, attendance.c.day,
                   func.min(case((absence, 1), else_=0)).label("missed"))
            .where(attendance.c.org_id.in_(org_ids), attendance.c.day.between(first, last))
            .group_by(attendance.c.learner_id, attendance.c.day).subquery())
    rows = session.execute(select(days.c.learner_id, func.count(), func.sum(days.c.missed))
                           .group_by(days.c.learner_id))
    return sorted((LearnerAttendance(lid, marked, int(missed or 0)) for lid, marked, missed in rows),
                  key=lambda a: a.learner_id)


def population_of(session: Session, area_code: str, year: int) -> dict[tuple[int, str], int]:
    rows = session.execute(select(population).where(population.c.area_code == area_code, population.c.year == year))
    return {(r.age, r.sex): r.people for r in rows}


def checksum(session: Session) -> str:
    """SHA-256 over every projection row: equal tables, equal checksum, on SQLite and PostgreSQL alike.

    Rows are sorted here, not by the database, whose collation may order text differently.
    """
    digest = hashlib.sha256()
    for table in PROJECTIONS:
        digest.update(table.name.encode())
        for line in sorted(repr(tuple(row)) for row in session.execute(select(table))):
            digest.update(line.encode())
    return digest.hexdigest()
