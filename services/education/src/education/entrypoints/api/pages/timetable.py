"""The timetable editor of a class: a week grid (days × periods) of subject, teacher and room; saving shows
every conflict in its cell (a teacher or room busy elsewhere, two lessons at once, hours over the curriculum)."""

from __future__ import annotations

from typing import Any

from esis_shared.web import redirect, render
from fastapi import APIRouter, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from education.domain.classes import SchoolClass
from education.domain.errors import DomainError, Invalid
from education.domain.timetable import DAYS_EN, DAYS_MN, MAX_PERIOD, Lesson, TimetableConflicts
from education.entrypoints.api.pages.common import Page, PageDep, form_of, guard
from education.service_layer import commands, desk_views, views

router = APIRouter(include_in_schema=False)
Slot = tuple[int, int]
SCHOOL_DAYS, SHOWN_PERIODS = 5, 6


@router.get("/education/classes/{class_id}/timetable")
def timetable(p: PageDep, class_id: str, done: str = "") -> Response:
    found = guard(lambda: views.timetable(p.ctx(), class_id))
    lessons = {lesson.slot: lesson for lesson in found.lessons} if found else {}
    return _page(p, class_id, lessons, published=bool(found and found.published),
                 draft_pending=bool(found and found.draft_pending), done=done)


@router.post("/education/classes/{class_id}/timetable")
async def save(request: Request, p: PageDep, class_id: str) -> Response:
    lessons = _lessons(await form_of(request))
    try:
        await run_in_threadpool(p.container.handle, commands.SaveTimetable(class_id, tuple(lessons.values())),
                                p.actor)
    except DomainError as exc:
        return await run_in_threadpool(_page, p, class_id, lessons, problems=_problems(p, exc, list(lessons)),
                                       status_code=409 if isinstance(exc, TimetableConflicts) else 422)
    return redirect(f"/education/classes/{class_id}/timetable?done=saved")


@router.post("/education/classes/{class_id}/timetable/publish")
async def publish(p: PageDep, class_id: str) -> Response:
    try:
        await run_in_threadpool(p.container.handle, commands.PublishTimetable(class_id), p.actor)
    except DomainError as exc:
        found = guard(lambda: views.timetable(p.ctx(), class_id))
        lessons = {lesson.slot: lesson for lesson in found.lessons} if found else {}
        return _page(p, class_id, lessons, problems=_problems(p, exc, []), status_code=422)
    return redirect(f"/education/classes/{class_id}/timetable?done=published")


def _lessons(form: dict[str, str]) -> dict[Slot, Lesson]:
    """The filled cells of the grid, in day and period order."""
    lessons = {}
    for day in range(1, len(DAYS_MN) + 1):
        for period in range(1, MAX_PERIOD + 1):
            subject = form.get(f"subject-{day}-{period}", "")
            if subject:
                lessons[(day, period)] = Lesson(day, period, subject, form.get(f"teacher-{day}-{period}", "").strip(),
                                                form.get(f"room-{day}-{period}", "").strip())
    return lessons


def _problems(p: Page, exc: DomainError, slots: list[Slot]) -> dict[Any, list[str]]:
    """Messages by cell (day, period); the key None holds those about the whole timetable."""
    found: dict[Any, list[str]] = {}
    if isinstance(exc, TimetableConflicts):
        for c in exc.conflicts:
            slot = (c.details["day"], c.details["period"]) if "day" in c.details else None
            found.setdefault(slot, []).append(c.message(p.lang))
        return found
    index = _row_index(exc)
    slot = slots[index] if index is not None and index < len(slots) else None
    found.setdefault(slot, []).append(p.message(exc))
    return found


def _row_index(exc: DomainError) -> int | None:
    """``lessons[3].day`` → 3: which lesson of the posted grid an input error is about."""
    if isinstance(exc, Invalid) and exc.field and exc.field.startswith("lessons["):
        return int(exc.field[len("lessons["):].split("]", 1)[0])
    return None


def _page(p: Page, class_id: str, lessons: dict[Slot, Lesson], *, published: bool = False,
          draft_pending: bool = False, done: str = "", problems: dict[Any, list[str]] | None = None,
          status_code: int = 200) -> Response:
    cls: SchoolClass = guard(lambda: desk_views.class_for_page(p.ctx(), class_id))
    subjects = desk_views.subjects(p.ctx())
    hours = {s.id: s.weekly_hours(cls.year_id, cls.level) for s in subjects}
    used = [s for s in subjects if hours[s.id] or any(lesson.subject_id == s.id for lesson in lessons.values())]
    days = max([SCHOOL_DAYS, *(d for d, _ in lessons)])
    periods = max([SHOWN_PERIODS, *(n for _, n in lessons)])
    names = DAYS_EN if p.lang == "en" else DAYS_MN
    context = {"cls": cls, "lessons": lessons, "subjects": used, "hours": hours, "published": published,
               "draft_pending": draft_pending,
               "days": [(d, names[d - 1]) for d in range(1, days + 1)], "periods": range(1, periods + 1),
               "done": done, "problems": problems or {}}
    return render(p.request, "edu_timetable.html", {**p.frame("classes", cls.school_id), **context},
                  status_code=status_code)
