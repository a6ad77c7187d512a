"""Homework and the lesson topic log of a class."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from esis_shared.auth import Principal
from esis_shared.web import redirect, render
from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from teacher.entrypoints.api.errors import status_of
from teacher.entrypoints.api.pages.common import (
    PrincipalDep,
    actor,
    attempt,
    container_of,
    error_text,
    frame,
    page_or_error,
)
from teacher.service_layer import commands
from teacher.service_layer.views import journal as views

router = APIRouter(include_in_schema=False)
PAGES = {"homework": "homework.html", "lessons": "lessons.html"}


def _context(request: Request, principal: Principal, class_id: str) -> dict[str, Any]:
    container = container_of(request)
    found = views.class_journal(actor(principal), container.uow(), container.context, class_id)
    return {"journal": found, "today": container.context.today(), "typed": {}}


@router.get("/teacher/classes/{class_id}/homework")
def homework_page(request: Request, class_id: str, principal: PrincipalDep, saved: int = 0) -> Response:
    return page_or_error(request, "homework.html", lambda: {**_context(request, principal, class_id),
                                                            "saved": saved}, frame(principal, "today"))


@router.get("/teacher/classes/{class_id}/lessons")
def lessons_page(request: Request, class_id: str, principal: PrincipalDep, saved: int = 0) -> Response:
    return page_or_error(request, "lessons.html", lambda: {**_context(request, principal, class_id),
                                                           "saved": saved}, frame(principal, "today"))


def _date(data: FormData, name: str, default: date) -> date:
    try:
        return date.fromisoformat(str(data.get(name) or default.isoformat()))
    except ValueError:
        return default


def _homework(principal: Principal, class_id: str, data: FormData, today: date) -> commands.Command:
    content_ids = tuple(v for v in re.split(r"[\s,]+", str(data.get("content_ids") or "")) if v)
    return commands.AssignHomework(actor(principal), class_id, str(data.get("subject_code") or ""),
                                   _date(data, "due_on", today), str(data.get("text") or ""), content_ids)


def _topic(principal: Principal, class_id: str, data: FormData, today: date) -> commands.Command:
    lesson = str(data.get("lesson") or "1")
    return commands.LogLessonTopic(actor(principal), class_id, str(data.get("subject_code") or ""),
                                   _date(data, "day", today), int(lesson) if lesson.isdigit() else 0,
                                   str(data.get("topic") or ""), str(data.get("notes") or ""))


async def _save(request: Request, class_id: str, principal: Principal, page: str) -> Response:
    data = await request.form()
    container = container_of(request)
    build = _homework if page == "homework" else _topic
    _, error = attempt(lambda: container.handle(build(principal, class_id, data, container.context.today())))
    if error is None:
        return redirect(f"/teacher/classes/{class_id}/{page}?saved=1")
    context, _ = attempt(lambda: _context(request, principal, class_id))
    return render(request, PAGES[page] if context else "problem.html",
                  {**frame(principal, "today"), **(context or {}), "saved": 0,
                   "typed": {k: str(v) for k, v in data.items()}, "error": error_text(request, error)},
                  status_code=status_of(error))


@router.post("/teacher/classes/{class_id}/homework")
async def assign_homework(request: Request, class_id: str, principal: PrincipalDep) -> Response:
    return await _save(request, class_id, principal, "homework")


@router.post("/teacher/classes/{class_id}/lessons")
async def log_lesson(request: Request, class_id: str, principal: PrincipalDep) -> Response:
    return await _save(request, class_id, principal, "lessons")
