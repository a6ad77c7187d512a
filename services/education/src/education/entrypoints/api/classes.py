"""/api/education/v1/classes: classes (бүлэг), their roster as of a date, and their weekly timetable."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter

from education.domain.timetable import Lesson
from education.entrypoints.api import schemas
from education.entrypoints.api.deps import PREFIX, ActorDep, ContainerDep
from education.service_layer import commands, views

router = APIRouter(prefix=f"{PREFIX}/classes", tags=["classes and timetables"])


@router.post("", status_code=201)
def open_class(body: schemas.ClassCreate, container: ContainerDep, actor: ActorDep) -> dict[str, str]:
    return {"id": container.handle(commands.OpenClass(**body.model_dump()), actor)}


@router.get("")
def list_classes(school_id: str, container: ContainerDep, actor: ActorDep,
                 year_id: str | None = None) -> list[dict[str, Any]]:
    return [_class(c) for c in views.school_classes(container.context(actor), school_id, year_id)]


@router.patch("/{class_id}", status_code=204)
def change_class(class_id: str, body: schemas.ClassUpdate, container: ContainerDep, actor: ActorDep) -> None:
    container.handle(commands.ChangeClass(class_id, body.room, body.capacity, body.class_teacher_id), actor)


@router.get("/{class_id}/roster")
def roster(class_id: str, purpose: str, container: ContainerDep, actor: ActorDep,
           as_of: date | None = None) -> dict[str, Any]:
    found, members = views.class_roster(container.context(actor), class_id, as_of=as_of, purpose=purpose)
    return {"class": _class(found), "as_of": (as_of or container.clock.today()).isoformat(),
            "learners": [schemas.read_roster_member(x) for x in members]}


@router.get("/{class_id}/timetable")
def timetable(class_id: str, container: ContainerDep, actor: ActorDep) -> dict[str, Any]:
    found = views.timetable(container.context(actor), class_id)
    return schemas.read(found) if found else {"id": class_id, "lessons": [], "published": False}


@router.put("/{class_id}/timetable", status_code=204)
def save_timetable(class_id: str, body: schemas.TimetablePut, container: ContainerDep, actor: ActorDep) -> None:
    lessons = tuple(Lesson(**lesson.model_dump()) for lesson in body.lessons)
    container.handle(commands.SaveTimetable(class_id, lessons), actor)


@router.post("/{class_id}/timetable/publish", status_code=204)
def publish_timetable(class_id: str, container: ContainerDep, actor: ActorDep) -> None:
    container.handle(commands.PublishTimetable(class_id), actor)


def _class(found: Any) -> dict[str, Any]:
    return {**schemas.read(found), "name": found.name}
