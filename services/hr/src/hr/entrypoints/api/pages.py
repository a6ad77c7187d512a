"""hr's web pages (esis_shared.web): a school's staff on a day, a profile (audited), the assignments grid
(classes × subjects, gaps highlighted) and vacancies. Mongolian by default, English with ``?lang=en``.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

from esis_shared.auth import Principal
from esis_shared.errors import ApiError
from esis_shared.web import page_principal, redirect, render, request_language, setup_web
from fastapi import APIRouter, Depends, FastAPI, Query, Request
from fastapi.responses import Response

from hr.bootstrap import Container
from hr.domain.access import Actor
from hr.domain.errors import HrError
from hr.domain.kinds import LeaveKind, PositionKind
from hr.domain.positions import VacancyStatus
from hr.domain.values import SchoolYear
from hr.entrypoints.api.deps import ContainerDep, actor_of
from hr.entrypoints.api.errors import STATUS
from hr.entrypoints.api.responses import StaffProfileOut
from hr.service_layer import commands, views

PACKAGE_DIR = Path(__file__).resolve().parents[2]
router = APIRouter(include_in_schema=False)
PrincipalDep = Annotated[Principal, Depends(page_principal)]
OptionalDay = Annotated[date | None, Query()]


def register_pages(app: FastAPI) -> None:
    """The pages and the shared web layer (after ``create_app``, with ``app.state.container`` set)."""
    app.include_router(router)
    setup_web(app, service="hr", templates_dir=PACKAGE_DIR / "templates", locale_dir=PACKAGE_DIR / "locale",
              settings=app.state.container.settings, context={"home_url": "/hr/"})


@router.get("/hr/")
def home(principal: PrincipalDep, container: ContainerDep) -> Response:
    """Teachers land on their own record, everyone else on their school's staff list."""
    actor = actor_of(principal, container)
    if principal.role == "teacher" and actor.staff_id:
        return redirect(f"/hr/staff/{actor.staff_id}")
    return redirect("/hr/staff")


@router.get("/hr/staff")
def staff_list(request: Request, principal: PrincipalDep, container: ContainerDep, org_id: str = "",
               as_of: OptionalDay = None) -> Response:
    actor, org, day = _scope(principal, container, org_id, as_of)
    rows = _guard(lambda: views.staff_at(container.uow(), actor, org, day)) if org else []
    lang = request_language(request)
    shown = [{"staff_id": r.staff_id, "name": r.name, "position": PositionKind(r.position_kind).label(lang),
              "fte": r.fte, "leave": LeaveKind(r.on_leave).label(lang) if r.on_leave else None} for r in rows]
    return render(request, "hr_staff.html", {**_common(principal, actor, org, day, "staff"), "rows": shown})


@router.get("/hr/staff/{staff_id}")
def profile(request: Request, staff_id: str, principal: PrincipalDep, container: ContainerDep,
            purpose: str = "") -> Response:
    actor = actor_of(principal, container)
    if actor.staff_id != staff_id and not purpose.strip():
        return render(request, "hr_purpose.html", {**_frame(principal, actor, ""), "staff_id": staff_id})
    member = _guard(lambda: container.bus.handle(commands.ViewStaff(actor, staff_id, purpose)))
    record = StaffProfileOut.of(member, container.context.ranks, container.context.today(),
                                request_language(request))
    reads = _guard(lambda: views.audit_trail(container.uow(), actor, staff_id, container.context.today()))
    frame = _frame(principal, actor, "own" if actor.staff_id == staff_id else "")
    return render(request, "hr_profile.html", {**frame, "record": record, "reads": reads[:20]})


@router.get("/hr/assignments")
def grid(request: Request, principal: PrincipalDep, container: ContainerDep, org_id: str = "",
         school_year: str = "", as_of: OptionalDay = None) -> Response:
    actor, org, day = _scope(principal, container, org_id, as_of)
    year = _guard(lambda: SchoolYear.parse(school_year)) if school_year else SchoolYear.of(day)
    subjects, rows = _guard(lambda: views.assignment_grid(container.uow(), actor, org, year.label, day)) \
        if org else ([], [])
    gaps = sum(cell.gap for row in rows for cell in row.cells)
    return render(request, "hr_grid.html", {**_common(principal, actor, org, day, "assignments"),
                                            "subjects": subjects, "rows": rows, "gaps": gaps,
                                            "school_year": year.label})


@router.get("/hr/vacancies")
def vacancy_list(request: Request, principal: PrincipalDep, container: ContainerDep, org_id: str = "") -> Response:
    actor, org, day = _scope(principal, container, org_id, None)
    found = _guard(lambda: views.vacancies(container.uow(), actor, org)) if org else []
    lang = request_language(request)
    shown = [{"position": v.kind.label(lang), "subject": v.subject_code, "fte": v.fte, "opened_on": v.opened_on,
              "status": v.status.value, "open": v.status is VacancyStatus.OPEN, "closed_on": v.closed_on}
             for v in found]
    return render(request, "hr_vacancies.html", {**_common(principal, actor, org, day, "vacancies"),
                                                 "vacancies": shown})


def _scope(principal: Principal, container: Container, org_id: str, as_of: date | None) -> tuple[Actor, str, date]:
    actor = actor_of(principal, container)
    org = org_id or (sorted(actor.org_ids)[0] if len(actor.org_ids) == 1 else "")
    return actor, org, as_of or container.context.today()


def _frame(principal: Principal, actor: Actor, current: str, org: str = "") -> dict[str, Any]:
    """What the menu needs on every page."""
    return {"user": principal, "org_id": org, "current": current, "own_staff_id": actor.staff_id}


def _common(principal: Principal, actor: Actor, org: str, day: date, current: str) -> dict[str, Any]:
    return {**_frame(principal, actor, current, org), "as_of": day, "orgs": sorted(actor.org_ids)}


def _guard(action: Any) -> Any:
    """Domain refusals as the platform's HTML error pages (403, 404, ...)."""
    try:
        return action()
    except HrError as exc:
        raise ApiError(exc.message_en, code=exc.code, status_code=STATUS.get(exc.kind, 400)) from None
