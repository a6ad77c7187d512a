"""Homework, the lesson log, kindergarten children's records, and a learner's history."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Path
from pydantic import BaseModel, Field

from teacher.entrypoints.api.deps import ActorDep, ContainerDep
from teacher.entrypoints.api.schemas import ClassRead, HomeworkIn, HomeworkRead, TopicIn, TopicRead
from teacher.service_layer import commands
from teacher.service_layer.views import history, journal

BASE = "/api/teacher/v1"
router = APIRouter(prefix=BASE, tags=["journal"])


class GrowthIn(BaseModel):
    measured_on: date
    height_cm: str = Field(max_length=8)
    weight_kg: str = Field(max_length=8)
    confirmed: bool = Field(False, description="the teacher checked an unusual change and it is right")


class ObservationIn(BaseModel):
    observed_on: date
    domain: str = Field(max_length=32)
    level: str = Field(max_length=32)
    note: str = Field("", max_length=1000)


@router.post("/classes/{class_id}/homework", status_code=201, response_model=HomeworkRead)
def assign_homework(class_id: str, body: HomeworkIn, actor: ActorDep, container: ContainerDep) -> HomeworkRead:
    return HomeworkRead.of(container.handle(commands.AssignHomework(
        actor, class_id, body.subject_code, body.due_on, body.text, tuple(body.content_ids), body.assigned_on)))


@router.put("/classes/{class_id}/lessons/{day}/{lesson}/topic", response_model=TopicRead)
def log_topic(class_id: str, day: date, body: TopicIn, actor: ActorDep, container: ContainerDep,
              lesson: int = Path(ge=1, le=10)) -> TopicRead:
    """What the lesson covered; putting it again replaces the topic."""
    return TopicRead.of(container.handle(commands.LogLessonTopic(
        actor, class_id, body.subject_code, day, lesson, body.topic, body.notes)))


@router.get("/classes/{class_id}/journal")
def class_journal(class_id: str, actor: ActorDep, container: ContainerDep) -> dict[str, Any]:
    """Homework due from two weeks ago on, and the lessons logged in the last month, newest first."""
    found = journal.class_journal(actor, container.uow(), container.context, class_id)
    return {"class": ClassRead.of(found.info), "subjects": found.subjects,
            "homework": [HomeworkRead.of(h) for h in found.homework],
            "topics": [TopicRead.of(t) for t in found.topics]}


@router.post("/classes/{class_id}/children/{learner_id}/growth", status_code=201)
def record_growth(class_id: str, learner_id: str, body: GrowthIn, actor: ActorDep,
                  container: ContainerDep) -> dict[str, Any]:
    """A kindergarten child's height and weight; implausible values are refused naming the field."""
    m = container.handle(commands.RecordGrowth(actor, class_id, learner_id, body.measured_on, body.height_cm,
                                               body.weight_kg, body.confirmed))
    return {"id": m.id, "learner_id": m.learner_id, "measured_on": m.measured_on, "height_cm": m.height_cm,
            "weight_kg": m.weight_kg}


@router.post("/classes/{class_id}/children/{learner_id}/observations", status_code=201)
def record_observation(class_id: str, learner_id: str, body: ObservationIn, actor: ActorDep,
                       container: ContainerDep) -> dict[str, Any]:
    o = container.handle(commands.RecordObservation(actor, class_id, learner_id, body.observed_on, body.domain,
                                                    body.level, body.note))
    return {"id": o.id, "learner_id": o.learner_id, "observed_on": o.observed_on, "domain": o.domain,
            "level": o.level, "note": o.note}


@router.get("/classes/{class_id}/children/{learner_id}")
def child_record(class_id: str, learner_id: str, actor: ActorDep, container: ContainerDep) -> dict[str, Any]:
    record = journal.child_record(actor, container.uow(), class_id, learner_id)
    return {"learner_id": learner_id, "class": ClassRead.of(record.info),
            "growth": [{"measured_on": m.measured_on, "height_cm": m.height_cm, "weight_kg": m.weight_kg}
                       for m in record.measurements],
            "observations": [{"observed_on": o.observed_on, "domain": o.domain, "level": o.level, "note": o.note}
                             for o in record.observations]}


class GradeLineRead(BaseModel):
    school_year: str
    school_id: str
    class_id: str
    subject_code: str
    term: int
    percent: Decimal
    grade: str


@router.get("/learners/{learner_id}/history")
def learner_history(learner_id: str, actor: ActorDep, container: ContainerDep) -> dict[str, Any]:
    """Approved grades and attendance by category in every year and school, for the learner's current teachers."""
    found = history.learner_history(actor, container.uow(), container.context, learner_id)
    return {"learner_id": learner_id,
            "grades": [GradeLineRead(school_year=g.school_year, school_id=g.school_id, class_id=g.class_id,
                                     subject_code=g.subject_code, term=g.term, percent=g.percent, grade=g.band)
                       for g in found.grades],
            "attendance": [{"school_year": a.school_year, "school_id": a.school_id, "class_id": a.class_id,
                            "counts": a.counts} for a in found.attendance]}
