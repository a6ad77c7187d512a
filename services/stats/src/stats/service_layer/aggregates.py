"""Operational aggregates of an area for a school year: class occupancy, transfers in and out, withdrawals by
reason, grade distributions, teachers by rank and subject, unmarked attendance — and a school's profile."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from stats.adapters import readers
from stats.adapters.orm import attendance, classes, grades, qualifications, teaching, transfers, withdrawals
from stats.domain.attendance import attendance_rate, unmarked_class_days
from stats.service_layer.figures import World, pupil_teacher_ratios


def schools_of(world: World, area_id: str, day: date) -> set[str]:
    return {u for u, unit in world.hierarchy.units.items()
            if unit.level == "school" and unit.is_open(day) and world.hierarchy.is_within(u, area_id, day)}


def class_occupancy(session: Session, world: World, orgs: set[str], year: int) -> list[dict[str, Any]]:
    per_class = readers.class_counts(session, orgs, world.census_day(year))
    rows = session.execute(select(classes).where(classes.c.school_id.in_(orgs),
                                                 classes.c.year_id == f"{year}-{year + 1}"))
    return [{"class_id": r.id, "school_id": r.school_id, "level": r.level, "capacity": r.capacity,
             "learners": per_class.get(r.id, 0)} for r in sorted(rows, key=lambda r: r.id)]


def transfer_counts(session: Session, orgs: set[str], first: date, last: date) -> dict[str, int]:
    approved = select(transfers).where(transfers.c.status == "approved", transfers.c.on.between(first, last))
    rows = list(session.execute(approved))
    return {"in": sum(1 for r in rows if r.to_org_id in orgs and r.from_org_id not in orgs),
            "out": sum(1 for r in rows if r.from_org_id in orgs and r.to_org_id not in orgs),
            "within": sum(1 for r in rows if r.from_org_id in orgs and r.to_org_id in orgs)}


def withdrawals_by_reason(session: Session, orgs: set[str], first: date, last: date) -> dict[str, int]:
    rows = session.execute(select(withdrawals.c.reason, func.count()).where(
        withdrawals.c.org_id.in_(orgs), withdrawals.c.on.between(first, last)).group_by(withdrawals.c.reason))
    return dict(sorted((reason, count) for reason, count in rows))


def grade_distribution(session: Session, orgs: set[str], school_year: str, term: int) -> dict[str, dict[str, int]]:
    """Grades given per subject (term 0 = annual grades)."""
    rows = session.execute(select(grades.c.subject_code, grades.c.grade, func.count()).where(
        grades.c.org_id.in_(orgs), grades.c.school_year == school_year, grades.c.term == term)
        .group_by(grades.c.subject_code, grades.c.grade))
    found: dict[str, dict[str, int]] = {}
    for subject, grade, count in rows:
        found.setdefault(subject, {})[grade] = count
    return found


def teachers_by_rank_and_subject(session: Session, orgs: set[str], day: date) -> dict[str, dict[str, int]]:
    active = (select(teaching.c.staff_id, teaching.c.subject_code).distinct()
              .where(teaching.c.org_id.in_(orgs), teaching.c.start <= day,
                     (teaching.c.last_day.is_(None)) | (teaching.c.last_day >= day)))
    pairs = list(session.execute(active))
    ranks = {r.staff_id: r.rank_code for r in session.execute(select(qualifications))}
    by_rank = Counter(ranks.get(staff) or "none" for staff in {s for s, _ in pairs})
    by_subject = Counter(subject for _, subject in pairs)
    return {"by_rank": dict(sorted(by_rank.items())), "by_subject": dict(sorted(by_subject.items()))}


def unmarked(session: Session, orgs: set[str], year: int, world: World) -> Any:
    """Class-days without attendance, counting days on which the school marked some class (it was open)."""
    first, last = date(year, 9, 1), date(year + 1, 8, 31)
    rows = list(session.execute(select(attendance.c.class_id, attendance.c.org_id, attendance.c.day).distinct()
                                .where(attendance.c.org_id.in_(orgs), attendance.c.day.between(first, last))))
    open_days = {(r.org_id, r.day) for r in rows}
    year_classes = list(session.execute(select(classes.c.id, classes.c.school_id).where(
        classes.c.school_id.in_(orgs), classes.c.year_id == f"{year}-{year + 1}")))
    expected = {(c.id, d) for c in year_classes for org, d in open_days if org == c.school_id}
    marked = {(r.class_id, r.day) for r in rows}
    lineage = world.basis(year).lineage("unmarked", sorted(expected))
    return unmarked_class_days(expected, marked & expected, lineage)


def area_aggregates(session: Session, world: World, area_id: str, year: int) -> dict[str, Any]:
    first, last = date(year, 9, 1), date(year + 1, 8, 31)
    orgs = schools_of(world, area_id, world.census_day(year))
    return {
        "class_occupancy": class_occupancy(session, world, orgs, year),
        "transfers": transfer_counts(session, orgs, first, last),
        "withdrawals_by_reason": withdrawals_by_reason(session, orgs, first, last),
        "annual_grades": grade_distribution(session, orgs, f"{year}-{year + 1}", 0),
        "teachers": teachers_by_rank_and_subject(session, orgs, world.census_day(year)),
        "unmarked_attendance": unmarked(session, orgs, year, world).as_dict(),
    }


def school_profile(session: Session, world: World, org_id: str, year: int) -> dict[str, Any]:
    """Size, classes, teachers and key indicators of one school (counts; the caller suppresses for the public);
    computed once per state of the projections."""
    return world.snapshot.memo(("school_profile", org_id, year), lambda: _school_profile(session, world, org_id, year))


def _school_profile(session: Session, world: World, org_id: str, year: int) -> dict[str, Any]:
    day = world.census_day(year)
    counts = world.counts(org_id, year)
    by_grade: Counter[str] = Counter()
    for (_, grade, _, _), n in counts.items():
        by_grade[grade] += n
    teachers = {t.staff_id for t in readers.teacher_loads(session, {org_id}, day)}
    learners = readers.learner_attendance(session, {org_id}, date(year, 9, 1), date(year + 1, 8, 31))
    rate = attendance_rate(learners, world.basis(year).lineage("attendance", org_id, learners))
    ptr = [f for f in pupil_teacher_ratios(session, world, org_id, year) if dict(f.dims).get("basis") == "headcount"
           and f.indicator == "ptr"]
    unit = world.hierarchy.units[org_id]
    return {"org_id": org_id, "name": unit.name, "year": year, "learners": sum(by_grade.values()),
            "by_grade": dict(sorted(by_grade.items())),
            "classes": len(class_occupancy(session, world, {org_id}, year)), "teachers": len(teachers),
            "attendance_rate": rate.value, "pupil_teacher_ratio": [f.as_dict() for f in ptr]}
