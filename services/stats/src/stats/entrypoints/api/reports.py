"""Official reports as CSV, XLSX or PDF: enrolment by area × grade and the UIS indicators of an area."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter
from fastapi.responses import Response

from stats.adapters.exports import MEDIA_TYPES, ReportTable, render
from stats.domain.hierarchy import NATIONAL
from stats.entrypoints.api.deps import AreaQuery, ContainerDep, PrincipalDep, SessionDep, YearQuery, visible_world
from stats.service_layer import figures
from stats.service_layer.open_data import GRADES, enrolment_table

router = APIRouter(prefix="/api/stats/v1/reports", tags=["reports"])
Format = Literal["csv", "xlsx", "pdf"]


def _file(report: ReportTable, name: str, fmt: Format, font: str) -> Response:
    return Response(render(report, fmt, font), media_type=MEDIA_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{name}.{fmt}"'})


@router.get("/enrolment.{fmt}")
def enrolment_report(fmt: Format, year: YearQuery, session: SessionDep, principal: PrincipalDep,
                     container: ContainerDep, area_id: AreaQuery = NATIONAL) -> Response:
    """Learners on the census day by area one level below and grade (staff reports are not suppressed)."""
    world = visible_world(session, principal, area_id, year)
    table = enrolment_table(world, area_id, year, threshold=0)
    rows = [[r["area_name"], *(r[f"grade_{g}"] for g in GRADES), r["total"]] for r in table.records()]
    report = ReportTable(f"Суралцагчид / Learners {year}-{year + 1}", ["area", *GRADES, "total"], rows,
                         [f"census date {table.census_date}, rules {table.rule_version}"])
    return _file(report, f"enrolment-{area_id}-{year}", fmt, container.settings.pdf_font_file)


@router.get("/indicators.{fmt}")
def indicator_report(fmt: Format, year: YearQuery, session: SessionDep, principal: PrincipalDep,
                     container: ContainerDep, area_id: AreaQuery = NATIONAL) -> Response:
    world = visible_world(session, principal, area_id, year)
    found, missing = figures.enrolment_indicators(session, world, area_id, year)
    found += figures.pupil_teacher_ratios(session, world, area_id, year)
    rows = [[f.indicator, ", ".join(f"{k}={v}" for k, v in f.dims), f.value, f.numerator, f.denominator,
             f.lineage.rule_version, f.lineage.input_fingerprint[:12]] for f in found]
    columns = ["indicator", "breakdown", "value", "numerator", "denominator", "rules", "inputs"]
    report = ReportTable(f"UIS indicators {area_id} {year}-{year + 1}", columns, rows, [p.message for p in missing])
    return _file(report, f"indicators-{area_id}-{year}", fmt, container.settings.pdf_font_file)
