"""Open data, public (no sign-in): suppressed tables and indicators as CSV/JSON, with a data dictionary."""

from __future__ import annotations

from typing import Any

from esis_shared.errors import Forbidden, NotFound
from fastapi import APIRouter
from fastapi.responses import Response

from stats.adapters import readers
from stats.adapters.exports import ReportTable, to_csv
from stats.domain.hierarchy import NATIONAL
from stats.domain.suppression import suppress
from stats.entrypoints.api.deps import AreaQuery, ContainerDep, SessionDep, YearQuery, kept_json, world_for
from stats.service_layer import aggregates, figures
from stats.service_layer.open_data import DICTIONARY, GRADES, enrolment_table, open_figures

router = APIRouter(prefix="/api/stats/v1/open", tags=["open data"])
PUBLIC_LEVELS = frozenset({"national", "aimag", "soum"})


def _public_area(world: figures.World, area_id: str) -> None:
    unit = world.hierarchy.get(area_id)
    if area_id != NATIONAL and (unit is None or unit.level not in PUBLIC_LEVELS):
        raise Forbidden("Open data covers the nation, aimags, the capital, soums and districts",
                        details={"area_id": area_id})


def _table(container: ContainerDep, session: SessionDep, area_id: str, year: int) -> Any:
    world = world_for(session, area_id)
    _public_area(world, area_id)
    rules = world.rules(year)
    return enrolment_table(world, area_id, year, rules.small_cell_threshold, rules.suppress_zeros)


@router.get("/dictionary.json")
def dictionary() -> dict[str, Any]:
    return {"fields": DICTIONARY, "licence": "CC BY 4.0", "personal_data": "none"}


@router.get("/enrolment.json")
def enrolment_json(year: YearQuery, session: SessionDep, container: ContainerDep,
                   area_id: AreaQuery = NATIONAL) -> Response:
    def build() -> dict[str, Any]:
        table = _table(container, session, area_id, year)
        return {"area_id": area_id, "year": year, "census_date": table.census_date,
                "rule_version": table.rule_version, "dictionary": "/api/stats/v1/open/dictionary.json",
                "rows": table.records()}

    world = world_for(session, area_id)
    _public_area(world, area_id)
    return kept_json(world, ("enrolment", area_id, year), build)


@router.get("/enrolment.csv")
def enrolment_csv(year: YearQuery, session: SessionDep, container: ContainerDep,
                  area_id: AreaQuery = NATIONAL) -> Response:
    table = _table(container, session, area_id, year)
    columns = ["area_id", "area_name", *(f"grade_{g}" for g in GRADES), "total"]
    rows = [[r[c] for c in columns] for r in table.records()]
    return Response(to_csv(ReportTable("enrolment", columns, rows)), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="enrolment-{area_id}-{year}.csv"'})


@router.get("/indicators.json")
def indicators_json(year: YearQuery, session: SessionDep, area_id: AreaQuery = NATIONAL) -> Response:
    world = world_for(session, area_id)
    _public_area(world, area_id)

    def build() -> dict[str, Any]:
        found, missing = figures.enrolment_indicators(session, world, area_id, year)
        threshold = world.rules(year).small_cell_threshold
        return {"area_id": area_id, "year": year, "figures": open_figures(found, threshold),
                "missing": [p.message for p in missing]}

    people = tuple(sorted(readers.population_of(session, world.code(area_id), year).items()))
    return kept_json(world, ("indicators", area_id, year, people), build)


@router.get("/schools/{org_id}.json")
def school_json(org_id: str, year: YearQuery, session: SessionDep) -> Response:
    """A school's public profile: size, classes, teachers, attendance rate, PTR; counts under 5 withheld."""
    world = world_for(session, org_id)
    unit = world.hierarchy.get(org_id)
    if unit is None or unit.level != "school":
        raise NotFound(f"No school {org_id!r}", details={"org_id": org_id})
    return kept_json(world, ("school", org_id, year), lambda: public_profile(
        aggregates.school_profile(session, world, org_id, year), world.rules(year)))


def public_profile(profile: dict[str, Any], rules: Any) -> dict[str, Any]:
    grades = list(profile["by_grade"])
    table = suppress([profile["org_id"]], grades, [[profile["by_grade"][g] for g in grades]] if grades else [[]],
                     threshold=rules.small_cell_threshold, suppress_zeros=rules.suppress_zeros)
    by_grade = {g: table.value(0, j) for j, g in enumerate(grades)}
    learners = table.value(0, len(grades)) if grades else 0
    return {**profile, "by_grade": by_grade, "learners": learners,
            "attendance_rate": profile["attendance_rate"] if learners is not None else None}
