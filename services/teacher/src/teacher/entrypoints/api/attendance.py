"""Attendance: today's classes, the class form, submission, corrections, and the "not yet marked" lists."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response

from teacher.entrypoints.api.deps import ActorDep, ContainerDep
from teacher.entrypoints.api.schemas import AttendanceIn, ClassRead, CorrectionIn, ModeIn, SheetRead
from teacher.service_layer import commands
from teacher.service_layer.views import attendance as views

BASE = "/api/teacher/v1"
router = APIRouter(prefix=BASE, tags=["attendance"])
DayQuery = Annotated[date | None, Query(description="default: today in Ulaanbaatar")]


@router.get("/today")
def today(actor: ActorDep, container: ContainerDep, day: DayQuery = None) -> list[dict[str, Any]]:
    """The caller's classes taught on the day: subjects, attendance mode, learners, lessons already marked."""
    items = views.today(actor, container.uow(), container.context, day)
    return [{"class": ClassRead.of(i.info), "subjects": i.subjects, "mode": i.mode.value, "learners": i.learners,
             "marked_lessons": i.marked_lessons, "is_marked": i.is_marked,
             "closed_reason": i.closed_reason[0] if i.closed_reason else None} for i in items]


@router.get("/classes/{class_id}/attendance")
def attendance_form(class_id: str, actor: ActorDep, container: ContainerDep, day: date,
                    lesson: Annotated[int, Query(ge=0, le=10)] = 0) -> dict[str, Any]:
    """The class list with its marks for the day or lesson, everyone present when not yet marked."""
    form = views.attendance_form(actor, container.uow(), container.context, class_id, day, lesson)
    return {"class": ClassRead.of(form.info), "day": form.day, "lesson": form.lesson, "mode": form.mode.value,
            "subjects": form.subjects, "marks": [{"learner_id": x, "code": form.marks[x]} for x in form.learners],
            "sheet": SheetRead.of(form.sheet) if form.sheet else None, "lessons_marked": form.lessons_marked}


@router.post("/classes/{class_id}/attendance", status_code=201, response_model=SheetRead)
def mark_attendance(class_id: str, body: AttendanceIn, actor: ActorDep, container: ContainerDep,
                    response: Response) -> SheetRead:
    """Mark the whole class for a day (lesson 0) or a lesson. Re-sending the same ``form_id`` returns the same
    sheet and publishes nothing; another form for a marked day or lesson is 409 ``already_marked``."""
    sheet = container.handle(commands.MarkAttendance(
        actor, body.form_id, class_id, body.day, tuple((m.learner_id, m.code) for m in body.marks), body.lesson,
        body.subject_code))
    response.headers["Location"] = f"{BASE}/attendance/{sheet.id}"
    return SheetRead.of(sheet)


@router.get("/attendance/{sheet_id}", response_model=SheetRead)
def get_sheet(sheet_id: str, actor: ActorDep, container: ContainerDep) -> SheetRead:
    return SheetRead.of(views.sheet(actor, container.uow(), sheet_id))


@router.post("/attendance/{sheet_id}/corrections", response_model=SheetRead)
def correct(sheet_id: str, body: CorrectionIn, actor: ActorDep, container: ContainerDep) -> SheetRead:
    """Change marks; the submitted marks and every earlier correction stay on record."""
    return SheetRead.of(container.handle(commands.CorrectAttendance(
        actor, sheet_id, tuple((m.learner_id, m.code) for m in body.changes), body.reason)))


@router.put("/schools/{school_id}/attendance-modes/{level}", status_code=204)
def set_mode(school_id: str, level: str, body: ModeIn, actor: ActorDep, container: ContainerDep) -> Response:
    """The school's choice of daily or per-lesson attendance for a grade (training manager only)."""
    container.handle(commands.SetAttendanceMode(actor, school_id, level, body.mode))
    return Response(status_code=204)


@router.get("/schools/{school_id}/not-marked")
def not_marked_in_school(school_id: str, actor: ActorDep, container: ContainerDep,
                         day: DayQuery = None) -> list[dict[str, Any]]:
    """Classes of the school with learners and a school day, but no attendance sheet yet."""
    found = views.not_marked_in_school(actor, container.uow(), container.context, school_id, day)
    return [{"class": ClassRead.of(u.info), "learners": u.learners} for u in found]


@router.get("/aimags/{aimag}/not-marked")
def not_marked_in_aimag(aimag: str, actor: ActorDep, container: ContainerDep,
                        day: DayQuery = None) -> list[dict[str, Any]]:
    """Schools of the aimag (NSO code) with classes not yet marked: expected and unmarked class counts."""
    found = views.not_marked_in_aimag(actor, container.uow(), container.context, aimag, day)
    return [{"school_id": p.school_id, "classes_expected": p.expected, "classes_not_marked": p.unmarked}
            for p in found]
