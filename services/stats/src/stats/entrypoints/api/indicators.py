"""Figures for signed-in staff, scoped by role: enrolment, UIS indicators, flows, survival, attendance."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

from fastapi import APIRouter, Query
from fastapi.responses import Response

from stats.adapters import readers
from stats.domain.attendance import attendance_rate, chronic_absence
from stats.domain.hierarchy import LEVEL_ORDER, NATIONAL
from stats.entrypoints.api.deps import AreaQuery, PrincipalDep, SessionDep, YearQuery, kept_json, visible_world
from stats.service_layer import aggregates, figures

router = APIRouter(prefix="/api/stats/v1", tags=["figures"])


@router.get("/enrolment")
def enrolment(session: SessionDep, principal: PrincipalDep, as_of: date, area_id: AreaQuery = NATIONAL,
              level: str = Query("school", pattern="^(school|soum|aimag|national)$")) -> dict[str, Any]:
    """Learners enrolled on ``as_of`` by area of ``level`` × grade × sex × age, over the hierarchy of that day."""
    world = visible_world(session, principal, area_id, as_of.year if as_of.month >= 9 else as_of.year - 1)
    rules = world.rules(as_of.year)
    cube: Counter[tuple[str, str, str, int]] = Counter()
    for (org_id, grade, sex, birth_year), n in world.counts_on(as_of).items():
        area = world.hierarchy.area_at(org_id, level, as_of)
        if sex is not None and birth_year is not None and area is not None:
            cube[(area, grade, sex, rules.age_on(birth_year, as_of))] += n
    inside = [(key, n) for key, n in sorted(cube.items())
              if key[0] == area_id or world.hierarchy.is_within(key[0], area_id, as_of)]
    rows = [{"area_id": a, "grade": g, "sex": s, "age": age, "learners": n} for (a, g, s, age), n in inside]
    return {"as_of": as_of.isoformat(), "level": level, "rule_version": rules.version, "rows": rows}


@router.get("/indicators")
def indicators(session: SessionDep, principal: PrincipalDep, year: YearQuery, area_id: AreaQuery = NATIONAL,
               ) -> dict[str, Any]:
    """GER, NER, ANER, TNER, OOSR by level and sex with GPI/GPIA, gross intake ratio, pupil–teacher ratios."""
    world = visible_world(session, principal, area_id, year)
    found, problems = figures.enrolment_indicators(session, world, area_id, year)
    found += figures.pupil_teacher_ratios(session, world, area_id, year)
    return {"area_id": area_id, "year": year, "figures": [f.as_dict() for f in found],
            "missing": [p.message for p in problems]}


@router.get("/flows")
def flows(session: SessionDep, principal: PrincipalDep, year: YearQuery, area_id: AreaQuery = NATIONAL,
          ) -> dict[str, Any]:
    """Promotion, repetition, dropout (UIS) and the actual outcomes, transfers apart, from ``year`` to the next."""
    world = visible_world(session, principal, area_id, year)
    rates = figures.flow_rates(world, area_id, year)
    return {"area_id": area_id, "year": year,
            "grades": {g: {k: f.as_dict() for k, f in r.items()} for g, r in rates.items()}}


@router.get("/survival")
def survival(session: SessionDep, principal: PrincipalDep, year: YearQuery, area_id: AreaQuery = NATIONAL,
             ) -> dict[str, Any]:
    world = visible_world(session, principal, area_id, year)
    found = figures.survival_rates(world, area_id, year)
    return {"area_id": area_id, "year": year, **{k: [f.as_dict() for f in v] for k, v in found.items()}}


@router.get("/attendance")
def attendance(session: SessionDep, principal: PrincipalDep, first: date, last: date,
               area_id: AreaQuery = NATIONAL) -> dict[str, Any]:
    """Attendance rate and chronic absence (≥ 10 % of marked days missed) between two days."""
    year = first.year if first.month >= 9 else first.year - 1
    world = visible_world(session, principal, area_id, year)
    orgs = {u for u, unit in world.hierarchy.units.items() if unit.level == LEVEL_ORDER[0]
            and world.hierarchy.is_within(u, area_id, first)}
    learners = readers.learner_attendance(session, orgs, first, last)
    basis = world.basis(year)
    lineage = basis.lineage("attendance", area_id, first, last, learners)
    return {"area_id": area_id, "first": first.isoformat(), "last": last.isoformat(), "figures": [
        attendance_rate(learners, lineage).as_dict(),
        chronic_absence(learners, basis.rules.chronic_absence_share, lineage).as_dict()]}


@router.get("/aggregates")
def area_aggregates(session: SessionDep, principal: PrincipalDep, year: YearQuery, area_id: AreaQuery = NATIONAL,
                    ) -> Response:
    """Class occupancy, transfers in/out, withdrawals by reason, annual grades, teachers by rank and subject,
    unmarked attendance of the area's schools in the school year.

    The caller's access is checked on every request; the body is built once per state of the projections (every
    table it reads is a projection of consumed events) and area × year, then served as bytes."""
    world = visible_world(session, principal, area_id, year)
    return kept_json(world, ("aggregates", area_id, year), lambda: {
        "area_id": area_id, "year": year, **aggregates.area_aggregates(session, world, area_id, year)})
