"""The marks grid (keyboard entry), the grade sheet with its approval state, and the training manager's page."""

from __future__ import annotations

from datetime import date
from typing import Any

from esis_shared.auth import Principal
from esis_shared.errors import Forbidden
from esis_shared.web import redirect, render
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from teacher.domain.gradebook import ANNUAL
from teacher.domain.rosters import ClassInfo
from teacher.entrypoints.api.errors import status_of
from teacher.entrypoints.api.pages.common import (
    PrincipalDep,
    actor,
    attempt,
    container_of,
    error_text,
    frame,
    names_of,
    page_or_error,
)
from teacher.service_layer import commands
from teacher.service_layer.views import attendance as attendance_views
from teacher.service_layer.views import grades as views

router = APIRouter(include_in_schema=False)
PERIODS = ("1", "2", "3", "4", "annual")


def _current_term(request: Request, info: ClassInfo) -> int:
    container = container_of(request)
    year = container.context.reference.calendar.years.get(info.school_year)
    term = year.term_of(container.context.today()) if year else None
    return term.number if term else 1


def _subject(request: Request, principal: Principal, class_id: str,
             subject: str) -> tuple[str, list[str], ClassInfo]:
    """The chosen subject (else the class's first), the class's subjects today, and the class."""
    container = container_of(request)
    form = attendance_views.attendance_form(actor(principal), container.uow(), container.context, class_id,
                                            container.context.today())
    return (subject or (form.subjects[:1] or [""])[0]), form.subjects, form.info


def _grid_context(request: Request, principal: Principal, class_id: str, subject: str, term: int) -> dict[str, Any]:
    container = container_of(request)
    subject, subjects, info = _subject(request, principal, class_id, subject)
    term = term or _current_term(request, info)
    grid = views.marks_grid(actor(principal), container.uow(), container.context, class_id, subject, term)
    return {"grid": grid, "subject": subject, "subjects": subjects, "term": term, "today": container.context.today(),
            "names": names_of(container, class_id, container.context.today(), principal), "typed": {}}


@router.get("/teacher/classes/{class_id}/marks")
def marks_page(request: Request, class_id: str, principal: PrincipalDep, subject: str = "", term: int = 0,
               saved: int = -1) -> Response:
    return page_or_error(request, "marks.html", lambda: {
        **_grid_context(request, principal, class_id, subject, term), "saved": saved}, frame(principal, "today"))


def _cells(data: FormData) -> tuple[commands.MarkInput, ...]:
    """Non-blank cells named ``m.<assessment id>.<learner id>``."""
    cells = []
    for key, value in data.multi_items():
        parts = key.split(".", 2)
        if parts[0] == "m" and len(parts) == 3 and str(value).strip():
            cells.append(commands.MarkInput(parts[1], parts[2], str(value).strip()))
    return tuple(cells)


@router.post("/teacher/classes/{class_id}/marks")
async def save_marks(request: Request, class_id: str, principal: PrincipalDep) -> Response:
    data = await request.form()
    container = container_of(request)
    subject, term = str(data.get("subject_code") or ""), int(str(data.get("term") or 1))
    if data.get("new_name") is not None:
        command: commands.Command = commands.CreateAssessment(
            actor(principal), class_id, subject, term, str(data.get("new_name") or ""),
            date.fromisoformat(str(data.get("held_on") or container.context.today())), str(data.get("weight") or 1))
    else:
        command = commands.RecordMarks(actor(principal), class_id, subject, _cells(data))
    result, error = attempt(lambda: container.handle(command))
    if error is None:
        saved = result if isinstance(result, int) else -1
        return redirect(f"/teacher/classes/{class_id}/marks?subject={subject}&term={term}&saved={saved}")
    context, _ = attempt(lambda: _grid_context(request, principal, class_id, subject, term))
    typed = {key: str(value) for key, value in data.multi_items() if key.startswith("m.")}
    return render(request, "marks.html" if context else "problem.html",
                  {**frame(principal, "today"), **(context or {}), "typed": typed, "saved": -1,
                   "error": error_text(request, error)}, status_code=status_of(error))


def _sheet_context(request: Request, principal: Principal, class_id: str, subject: str,
                   period: str) -> dict[str, Any]:
    container = container_of(request)
    subject, subjects, info = _subject(request, principal, class_id, subject)
    period = period if period in PERIODS else str(_current_term(request, info))
    view = views.grade_sheet(actor(principal), container.uow(), container.context, class_id, subject,
                             ANNUAL if period == "annual" else int(period))
    return {"view": view, "subject": subject, "subjects": subjects, "period": period, "periods": PERIODS,
            "names": names_of(container, class_id, container.context.today(), principal)}


@router.get("/teacher/classes/{class_id}/grades")
def grades_page(request: Request, class_id: str, principal: PrincipalDep, subject: str = "", period: str = "",
                saved: str = "") -> Response:
    return page_or_error(request, "grades.html", lambda: {
        **_sheet_context(request, principal, class_id, subject, period), "saved": saved}, frame(principal, "today"))


def _grade_command(principal: Principal, class_id: str, data: FormData) -> commands.Command:
    subject, period = str(data.get("subject_code") or ""), str(data.get("period") or "1")
    term = ANNUAL if period == "annual" else int(period)
    if data.get("action") == "submit":
        return commands.SubmitGrades(actor(principal), class_id, subject, "", term)
    percent = str(data.get("percent") or "").strip() or None
    return commands.OverrideGrade(actor(principal), class_id, subject, "", term, str(data.get("learner_id") or ""),
                                  percent, str(data.get("reason") or ""))


@router.post("/teacher/classes/{class_id}/grades")
async def change_grades(request: Request, class_id: str, principal: PrincipalDep) -> Response:
    """Override one learner's grade (with a reason) or submit the sheet to the training manager."""
    data = await request.form()
    container = container_of(request)
    subject, period = str(data.get("subject_code") or ""), str(data.get("period") or "1")
    _, error = attempt(lambda: container.handle(_grade_command(principal, class_id, data)))
    if error is None:
        done = "submitted" if data.get("action") == "submit" else "override"
        return redirect(f"/teacher/classes/{class_id}/grades?subject={subject}&period={period}&saved={done}")
    context, _ = attempt(lambda: _sheet_context(request, principal, class_id, subject, period))
    return render(request, "grades.html" if context else "problem.html",
                  {**frame(principal, "today"), **(context or {}), "saved": "", "error": error_text(request, error)},
                  status_code=status_of(error))


# ---------------------------------------------------------------- the training manager's page

def _school_of(principal: Principal, school_id: str) -> str:
    if principal.role != "school_admin":
        raise Forbidden("Only a school's training manager has this page")
    schools = sorted(principal.org_ids)
    return school_id if school_id in schools else (schools[:1] or [""])[0]


@router.get("/teacher/school")
def school_page(request: Request, principal: PrincipalDep, school_id: str = "", done: str = "") -> Response:
    """Grades waiting for approval and today's classes not yet marked."""
    container = container_of(request)
    school = _school_of(principal, school_id)
    return page_or_error(request, "school.html", lambda: {
        "school_id": school, "schools": sorted(principal.org_ids), "done": done,
        "queue": views.approval_queue(actor(principal), container.uow(), school),
        "unmarked": attendance_views.not_marked_in_school(actor(principal), container.uow(), container.context,
                                                          school)}, frame(principal, "school"))


@router.get("/teacher/grade-sheets/{sheet_id}")
def sheet_page(request: Request, sheet_id: str, principal: PrincipalDep) -> Response:
    """One grade sheet, read-only: what the training manager approves."""
    container = container_of(request)

    def build() -> dict[str, Any]:
        view = views.sheet_by_id(actor(principal), container.uow(), container.context, sheet_id)
        back = (f"/teacher/school?school_id={view.sheet.where.school_id}" if principal.role == "school_admin"
                else f"/teacher/classes/{view.info.class_id}/grades?subject={view.sheet.subject_code}")
        return {"view": view, "back": back,
                "names": names_of(container, view.info.class_id, container.context.today(), principal)}

    return page_or_error(request, "sheet.html", build, frame(principal, "school"))


@router.post("/teacher/grade-sheets/{sheet_id}")
async def decide(request: Request, sheet_id: str, principal: PrincipalDep) -> Response:
    """Approve the sheet, or return it to the teacher with a reason."""
    data = await request.form()
    container = container_of(request)
    school = str(data.get("school_id") or "")
    command: commands.Command = (commands.ApproveGrades(actor(principal), sheet_id) if data.get("action") == "approve"
                                 else commands.ReturnGrades(actor(principal), sheet_id, str(data.get("reason") or "")))
    _, error = attempt(lambda: container.handle(command))
    if error is None:
        return redirect(f"/teacher/school?school_id={school}&done={data.get('action')}")
    return render(request, "problem.html", {**frame(principal, "school"), "error": error_text(request, error),
                                            "back": f"/teacher/school?school_id={school}"},
                  status_code=status_of(error))
