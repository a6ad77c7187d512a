"""Today's classes and the one-tap class attendance form."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from esis_shared.auth import Principal
from esis_shared.errors import Forbidden
from esis_shared.web import redirect, render, request_language
from fastapi import APIRouter, Form, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from teacher.domain.access import Role
from teacher.domain.reference import AttendanceMode
from teacher.entrypoints.api.errors import status_of
from teacher.entrypoints.api.pages.common import (
    PrincipalDep,
    actor,
    attempt,
    container_of,
    day_or_today,
    error_text,
    frame,
    names_of,
    page_or_error,
)
from teacher.service_layer import commands
from teacher.service_layer.views import attendance as views

router = APIRouter(include_in_schema=False)
LANDING = {Role.SCHOOL_ADMIN: "/teacher/school", Role.MINISTRY: "/teacher/feedback/inbox",
           Role.AIMAG_OFFICER: "/teacher/feedback/inbox", Role.DISTRICT_OFFICER: "/teacher/feedback/inbox"}


@router.get("/teacher/")
def today(request: Request, principal: PrincipalDep, day: str | None = None) -> Response:
    """Teachers see their classes of the day; managers and the ministry land on their own pages."""
    if principal.role in LANDING:
        return redirect(LANDING[principal.role])
    if principal.role != Role.TEACHER:
        raise Forbidden("Only teachers keep a journal")
    container = container_of(request)
    chosen = day_or_today(day, container)
    items = views.today(actor(principal), container.uow(), container.context, chosen)
    return render(request, "today.html", {**frame(principal, "today"), "day": chosen, "items": items,
                                          "is_today": chosen == container.context.today()})


def _form_context(request: Request, principal: Principal, class_id: str, day: date, lesson: int,
                  subject: str) -> dict[str, Any]:
    container = container_of(request)
    form = views.attendance_form(actor(principal), container.uow(), container.context, class_id, day, lesson)
    if form.mode is AttendanceMode.PER_LESSON and not lesson:
        lesson = max(form.lessons_marked, default=0) + 1
        form = views.attendance_form(actor(principal), container.uow(), container.context, class_id, day, lesson)
    lang = request_language(request)
    codes = [(c.code, c.label(lang), c.short_en if lang == "en" else c.short_mn)
             for c in container.context.reference.attendance.items]  # type: ignore[attr-defined]
    subject = subject or (form.sheet.subject_code if form.sheet else "") or (form.subjects[:1] or [""])[0]
    return {**frame(principal, "today"), "form": form, "lesson": lesson, "subject": subject, "codes": codes,
            "names": names_of(container, class_id, day, principal), "form_id": str(uuid.uuid4()),
            "absent": sum(1 for code in form.marks.values() if code != "present")}


@router.get("/teacher/classes/{class_id}/attendance")
def attendance_page(request: Request, class_id: str, principal: PrincipalDep, day: str | None = None,
                    lesson: int = 0, subject: str = "", saved: int = 0) -> Response:
    chosen = day_or_today(day, container_of(request))
    return page_or_error(request, "attendance.html",
                         lambda: {**_form_context(request, principal, class_id, chosen, lesson, subject),
                                  "saved": saved}, frame(principal, "today"))


def _codes_from(data: FormData) -> dict[str, str]:
    return {key[len("code."):]: str(value) for key, value in data.multi_items() if key.startswith("code.")}


def _command(principal: Principal, class_id: str, data: FormData, learners: list[str],
             current: dict[str, str] | None, sheet_id: str | None) -> commands.Command:
    day, lesson, subject = date.fromisoformat(str(data["day"])), int(str(data.get("lesson") or 0)), \
        str(data.get("subject_code") or "")
    codes = dict.fromkeys(learners, "present") if data.get("all_present") else _codes_from(data)
    if sheet_id is not None and current is not None:
        changes = tuple((x, code) for x, code in codes.items() if current.get(x) != code)
        return commands.CorrectAttendance(actor(principal), sheet_id, changes, str(data.get("reason") or ""))
    rows = tuple(codes.items())
    return commands.MarkAttendance(actor(principal), str(data["form_id"]), class_id, day, rows, lesson, subject)


@router.post("/teacher/classes/{class_id}/attendance")
async def submit_attendance(request: Request, class_id: str, principal: PrincipalDep,
                            day: Annotated[str, Form()]) -> Response:
    """Save the form: a new sheet, or the corrections of an existing one; then back to the form (303)."""
    data = await request.form()
    container = container_of(request)
    chosen, lesson = date.fromisoformat(day), int(str(data.get("lesson") or 0))
    form, error = attempt(lambda: views.attendance_form(actor(principal), container.uow(), container.context,
                                                        class_id, chosen, lesson))
    if form is not None:
        sheet = form.sheet
        command = _command(principal, class_id, data, form.learners, sheet.current if sheet else None,
                           sheet.id if sheet else None)
        _, error = attempt(lambda: container.handle(command))
    if error is None:
        query = f"day={chosen.isoformat()}&lesson={lesson}&subject={data.get('subject_code') or ''}&saved=1"
        return redirect(f"/teacher/classes/{class_id}/attendance?{query}")
    context = _retry_context(request, principal, class_id, chosen, lesson, str(data.get("subject_code") or ""))
    return render(request, "attendance.html" if context else "problem.html",
                  {**frame(principal, "today"), **(context or {}), "error": error_text(request, error),
                   "typed": _codes_from(data), "saved": 0}, status_code=status_of(error))


def _retry_context(request: Request, principal: Principal, class_id: str, day: date, lesson: int,
                   subject: str) -> dict[str, Any] | None:
    context, _ = attempt(lambda: _form_context(request, principal, class_id, day, lesson, subject))
    return context
