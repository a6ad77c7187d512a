"""parent's web pages (mobile first, Mongolian by default): children switcher, today, attendance calendar,
grades, homework, timetable, growth charts and the access log. Forms live in ``pages_forms.py``, the teacher's
side of messages in ``pages_teacher.py``."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Annotated, Any

from esis_shared.auth import Principal, bearer_token
from esis_shared.web import page_principal, redirect, render, request_language, setup_web, translator
from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import Response

from parent.domain.errors import Unavailable
from parent.domain.notifications import UB
from parent.entrypoints.api import charts
from parent.service_layer import access, views
from parent.service_layer.ports import Deps

PACKAGE_DIR = Path(__file__).resolve().parents[2]
router = APIRouter(include_in_schema=False)
PagePrincipal = Annotated[Principal, Depends(page_principal)]
WEEKDAYS = (1, 2, 3, 4, 5, 6)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    return message


STATUS_LABELS = {"present": N_("Present"), "late": N_("Late"), "excused": N_("Excused absence"),
                 "sick": N_("Sick"), "unexcused": N_("Absent without leave"), None: N_("Not marked yet")}
STATUS_BADGES = {"present": "ok", "late": "warn", "excused": "info", "sick": "info", "unexcused": "error",
                 None: "neutral"}
GROWTH_LABELS = {
    "normal": N_("Normal"), "stunted": N_("Short for age (stunted)"), "severely_stunted": N_("Severely stunted"),
    "very_tall": N_("Very tall"), "underweight": N_("Underweight"), "severely_underweight": N_("Severely underweight"),
    "wasted": N_("Thin for height (wasted)"), "severely_wasted": N_("Severely wasted"),
    "risk_of_overweight": N_("Possible risk of overweight"), "overweight": N_("Overweight"), "obese": N_("Obese"),
    "thinness": N_("Thinness"), "severe_thinness": N_("Severe thinness"), "obesity": N_("Obesity")}
INDICATOR_LABELS = {"wfa": N_("Weight for age"), "hfa": N_("Height for age"), "wfh": N_("Weight for height"),
                    "bfa": N_("BMI for age")}


def deps_of(request: Request) -> Deps:
    return request.app.state.container.deps


def when(at: datetime | None) -> str:
    """A moment as people in Mongolia read it (Ulaanbaatar time)."""
    return at.astimezone(UB).strftime("%Y-%m-%d %H:%M") if at else ""


def page(request: Request, template: str, principal: Principal, status: int = 200, **context: Any) -> Response:
    defaults = {"user": principal, "status_labels": STATUS_LABELS, "status_badges": STATUS_BADGES, "error": None,
                "error_field": None, "when": when}
    return render(request, template, {**defaults, **context}, status_code=status)


def child_page(request: Request, principal: Principal, learner_id: str, template: str, tab: str,
               **context: Any) -> Response:
    deps = deps_of(request)
    summary = views.child(principal, learner_id, deps)
    siblings = views.children(principal, deps)
    return page(request, template, principal, summary=summary, siblings=siblings, tab=tab, **context)


@router.get("/parent/")
def home(request: Request, principal: PagePrincipal) -> Response:
    if principal.role == access.TEACHER:  # a teacher's part of the portal is the inbox
        return redirect("/parent/teacher/inbox")
    deps = deps_of(request)
    found = views.children(principal, deps)
    statuses = {c.child.learner_id: views.day(principal, c.child.learner_id, deps).status for c in found}
    return page(request, "home.html", principal, children=found, statuses=statuses)


@router.get("/parent/children/{learner_id}")
def today(learner_id: str, request: Request, principal: PagePrincipal) -> Response:
    deps = deps_of(request)
    day = views.day(principal, learner_id, deps)
    try:
        class_teacher, teachers = views.teachers(principal, learner_id, deps)
    except Unavailable:
        class_teacher, teachers = None, []
    return child_page(request, principal, learner_id, "today.html", "today", day=day,
                      class_teacher=class_teacher, teachers=teachers)


@router.get("/parent/children/{learner_id}/attendance")
def attendance(learner_id: str, request: Request, principal: PagePrincipal, month: str = "") -> Response:
    deps = deps_of(request)
    current = views.today(deps)
    year, number = _month(month, current)
    calendar = views.attendance(principal, learner_id, year, number, deps)
    previous = date(year, number, 1) - timedelta(days=1)
    following = date(year + (number == 12), number % 12 + 1, 1)
    return child_page(request, principal, learner_id, "attendance.html", "attendance", calendar=calendar,
                      previous=previous.strftime("%Y-%m"), following=following.strftime("%Y-%m"),
                      show_following=following <= current, today=current)


def _month(text: str, today: date) -> tuple[int, int]:
    try:
        year, number = (int(x) for x in text.split("-"))
        if 2000 <= year <= 2100 and 1 <= number <= 12:
            return year, number
    except ValueError:
        pass
    return today.year, today.month


@router.get("/parent/children/{learner_id}/grades")
def grades(learner_id: str, request: Request, principal: PagePrincipal) -> Response:
    years = views.school_years(principal, learner_id, deps_of(request))
    return child_page(request, principal, learner_id, "grades.html", "grades", years=years)


@router.get("/parent/children/{learner_id}/homework")
def homework(learner_id: str, request: Request, principal: PagePrincipal) -> Response:
    found = views.homework(principal, learner_id, deps_of(request))
    return child_page(request, principal, learner_id, "homework.html", "homework", homework=found)


@router.get("/parent/children/{learner_id}/timetable")
def timetable(learner_id: str, request: Request, principal: PagePrincipal) -> Response:
    week = views.timetable(principal, learner_id, deps_of(request))
    periods = sorted({lesson.period for lessons in week.values() for lesson in lessons})
    cells = {(lesson.weekday, lesson.period): lesson for lessons in week.values() for lesson in lessons}
    return child_page(request, principal, learner_id, "timetable.html", "timetable", periods=periods, cells=cells,
                      weekdays=WEEKDAYS)


@router.get("/parent/children/{learner_id}/growth")
def growth(learner_id: str, request: Request, principal: PagePrincipal) -> Response:
    deps = deps_of(request)
    child, points, notes = views.growth_chart(principal, learner_id, deps)
    _ = translator(request).gettext
    drawn = [charts.growth_svg(charts.Chart(ind, _(INDICATOR_LABELS[ind]), unit), points, child.sex, deps.growth,
                               _("Age (months)"), _("Median"))
             for ind, unit in (("hfa", _("cm")), ("wfa", _("kg")))] if points else []
    return child_page(request, principal, learner_id, "growth.html", "growth", points=points, notes=notes,
                      charts=drawn, growth_labels=GROWTH_LABELS, indicator_labels=INDICATOR_LABELS,
                      z_text=charts.z_text)


@router.get("/parent/children/{learner_id}/access-log")
def access_log(learner_id: str, request: Request, principal: PagePrincipal) -> Response:
    deps = deps_of(request)
    try:
        entries, problem = views.access_log(principal, learner_id, bearer_token(request) or "", deps), None
    except Unavailable as exc:
        entries, problem = [], exc.message if request_language(request) == "en" else exc.message_mn
    return child_page(request, principal, learner_id, "access_log.html", "access", entries=entries, problem=problem)


def install(app: FastAPI) -> None:
    from parent.entrypoints.api import pages_forms, pages_teacher

    setup_web(app, service="parent", templates_dir=PACKAGE_DIR / "templates", locale_dir=PACKAGE_DIR / "locale",
              settings=app.state.container.settings)
    app.include_router(router)
    app.include_router(pages_forms.router)
    app.include_router(pages_teacher.router)
