"""Dashboards: the public open-data page with the map of aimags, and signed-in pages per area (scoped by role).

Charts are inline SVG drawn on the server (``adapters/charts.py``): no script, no CDN.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

from esis_shared.auth import Principal
from esis_shared.errors import Forbidden
from esis_shared.web import optional_principal, page_principal, render, request_language, setup_web
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import RedirectResponse, Response

from stats.adapters.charts import aimag_map, bar_chart
from stats.domain import access
from stats.domain.hierarchy import NATIONAL
from stats.domain.rules import rules_for
from stats.entrypoints.api.deps import SessionDep, default_year, world_for
from stats.entrypoints.api.open_data import public_profile
from stats.service_layer import aggregates, figures
from stats.service_layer.open_data import GRADES, enrolment_table, open_figures

PACKAGE_DIR = Path(__file__).resolve().parents[2]
router = APIRouter(include_in_schema=False)
HEADLINE = ("ger", "ner", "oosr")


def install(app: FastAPI) -> None:
    app.include_router(router)
    setup_web(app, service="stats", templates_dir=PACKAGE_DIR / "templates", locale_dir=PACKAGE_DIR / "locale",
              settings=app.state.container.settings, context={"home_url": "/stats/open"})


def _year(request: Request, year: int | None) -> int:
    return year or default_year(request.app.state.container.clock().date())


def _indicator_bars(found: list[dict[str, Any]]) -> list[tuple[str, float | None]]:
    both = [f for f in found if f["indicator"] in HEADLINE and "sex" not in f["dims"]]
    return [(f"{f['indicator'].upper()} {f['dims'].get('level', '')}", f["value"]) for f in both]


def _area_view(session: Any, area_id: str, year: int, threshold: int) -> dict[str, Any]:
    world = world_for(session, area_id)
    table = enrolment_table(world, area_id, year, threshold)
    found, missing = figures.enrolment_indicators(session, world, area_id, year)
    shown = open_figures(found, max(threshold, 1)) if threshold else [
        {"indicator": f.indicator, "dims": dict(f.dims), "value": f.value} for f in found]
    totals = table.records()[-1]
    grades = [(g, totals[f"grade_{g}"]) for g in GRADES]
    unit = world.hierarchy.get(area_id)
    return {"area_id": area_id, "area_name": unit.name if unit else None, "year": year, "table": table,
            "grades": GRADES, "missing": missing, "world": world,
            "grade_chart": bar_chart("Learners by grade", grades),
            "indicator_chart": bar_chart("Indicators", _indicator_bars(shown), unit=" %")}


@router.get("/stats/", include_in_schema=False)
def home() -> Response:
    return RedirectResponse("/stats/open", status_code=307)


@router.get("/stats/open")
def open_page(request: Request, session: SessionDep, _: Annotated[Principal | None, Depends(optional_principal)],
              year: int | None = None) -> Response:
    """Public: national figures, the map of aimags, the enrolment table by aimag (suppressed)."""
    chosen = _year(request, year)
    view = _area_view(session, NATIONAL, chosen, view_threshold(chosen))
    by_code = {view["world"].hierarchy.units[r["area_id"]].code: r["total"] for r in view["table"].records()[:-1]}
    links = {view["world"].hierarchy.units[r["area_id"]].code: f"/stats/open/{r['area_id']}?year={chosen}"
             for r in view["table"].records()[:-1]}
    view["map"] = aimag_map("Learners by aimag", by_code, links, request_language(request))
    return render(request, "open.html", {**view, "public": True})


@router.get("/stats/open/{area_id}")
def open_area(area_id: str, request: Request, session: SessionDep,
              _: Annotated[Principal | None, Depends(optional_principal)], year: int | None = None) -> Response:
    chosen = _year(request, year)
    world = world_for(session, area_id)
    unit = world.hierarchy.get(area_id)
    if unit is not None and unit.level == "school":
        profile = public_profile(aggregates.school_profile(session, world, area_id, chosen), world.rules(chosen))
        return render(request, "school.html", {"profile": profile, "year": chosen})
    return render(request, "area.html", {**_area_view(session, area_id, chosen, view_threshold(chosen)),
                                         "public": True})


@router.get("/stats/area/{area_id}")
def staff_area(area_id: str, request: Request, session: SessionDep,
               principal: Annotated[Principal, Depends(page_principal)], year: int | None = None) -> Response:
    """Signed-in dashboard of an area the viewer's role covers: unsuppressed counts."""
    chosen = _year(request, year)
    world = world_for(session, area_id)
    if not access.may_view(principal, world.hierarchy, area_id, world.census_day(chosen)):
        raise Forbidden(f"Your role or scope does not cover {area_id}")
    return render(request, "area.html", {**_area_view(session, area_id, chosen, 0), "public": False})


def view_threshold(year: int) -> int:
    return rules_for(date(year, 12, 31)).small_cell_threshold
