"""Assessments, the marks grid, grade sheets, and their approval by the school's training manager."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Path

from teacher.domain.errors import invalid
from teacher.domain.gradebook import ANNUAL
from teacher.entrypoints.api.deps import ActorDep, ContainerDep
from teacher.entrypoints.api.schemas import (
    AssessmentIn,
    AssessmentRead,
    ClassRead,
    GradeSheetRead,
    MarksIn,
    MarksSaved,
    OverrideIn,
    ReturnIn,
)
from teacher.service_layer import commands
from teacher.service_layer.views import grades as views

BASE = "/api/teacher/v1"
router = APIRouter(prefix=BASE, tags=["grades"])
PERIOD = Path(description="1–4 for a term, or 'annual'")


def parse_period(period: str) -> int:
    if period == "annual":
        return ANNUAL
    if period in ("1", "2", "3", "4"):
        return int(period)
    raise invalid("period", "The period is a term (1–4) or 'annual'", "Хугацаа нь улирал (1–4) эсвэл 'annual'.",
                  code="bad_period")


@router.post("/classes/{class_id}/assessments", status_code=201, response_model=AssessmentRead)
def create_assessment(class_id: str, body: AssessmentIn, actor: ActorDep, container: ContainerDep) -> AssessmentRead:
    return AssessmentRead.of(container.handle(commands.CreateAssessment(
        actor, class_id, body.subject_code, body.term, body.name, body.held_on, str(body.weight))))


@router.post("/classes/{class_id}/marks", response_model=MarksSaved)
def record_marks(class_id: str, body: MarksIn, actor: ActorDep, container: ContainerDep) -> MarksSaved:
    """Save cells of the marks grid; unchanged cells publish nothing. Errors name the cell: ``marks[3].percent``."""
    cells = tuple(commands.MarkInput(c.assessment_id, c.learner_id, c.percent) for c in body.marks)
    return MarksSaved(changed=container.handle(commands.RecordMarks(actor, class_id, body.subject_code, cells)))


@router.get("/classes/{class_id}/subjects/{subject_code}/terms/{term}/marks")
def marks_grid(class_id: str, subject_code: str, term: int, actor: ActorDep,
               container: ContainerDep) -> dict[str, Any]:
    """Learners × assessments of a term with each learner's weighted percent and grade so far."""
    grid = views.marks_grid(actor, container.uow(), container.context, class_id, subject_code, term)
    return {"class": ClassRead.of(grid.info), "subject_code": subject_code, "school_year": grid.school_year,
            "term": term, "status": grid.status.value, "scale": grid.scale.code,
            "assessments": [AssessmentRead.of(a) for a in grid.assessments],
            "learners": [{"learner_id": x, "percent": grid.percents.get(x),
                          "grade": b.code if (b := grid.band(x)) else None,
                          "marks": {a.id: grid.marks.get((a.id, x)) for a in grid.assessments}}
                         for x in grid.learners]}


@router.get("/classes/{class_id}/subjects/{subject_code}/grades/{period}", response_model=GradeSheetRead)
def grade_sheet(class_id: str, subject_code: str, actor: ActorDep, container: ContainerDep,
                period: str = PERIOD) -> GradeSheetRead:
    """The term or annual grades with fresh computed percents and the approval state."""
    view = views.grade_sheet(actor, container.uow(), container.context, class_id, subject_code,
                             parse_period(period))
    return GradeSheetRead.of(view.sheet, view.scale)


def _sheet_read(container: Any, actor: Any, sheet: Any) -> GradeSheetRead:
    view = views.sheet_by_id(actor, container.uow(), container.context, sheet.id)
    return GradeSheetRead.of(view.sheet, view.scale)


@router.put("/classes/{class_id}/subjects/{subject_code}/grades/{period}/overrides/{learner_id}",
            response_model=GradeSheetRead)
def override(class_id: str, subject_code: str, learner_id: str, body: OverrideIn, actor: ActorDep,
             container: ContainerDep, period: str = PERIOD) -> GradeSheetRead:
    """Override one learner's computed percent (a reason is required), or remove the override (``percent: null``)."""
    sheet = container.handle(commands.OverrideGrade(actor, class_id, subject_code, "", parse_period(period),
                                                    learner_id, body.percent, body.reason))
    return _sheet_read(container, actor, sheet)


@router.post("/classes/{class_id}/subjects/{subject_code}/grades/{period}/submit", response_model=GradeSheetRead)
def submit(class_id: str, subject_code: str, actor: ActorDep, container: ContainerDep,
           period: str = PERIOD) -> GradeSheetRead:
    """The class teacher submits the grades to the training manager."""
    sheet = container.handle(commands.SubmitGrades(actor, class_id, subject_code, "", parse_period(period)))
    return _sheet_read(container, actor, sheet)


@router.get("/schools/{school_id}/grade-approvals")
def approval_queue(school_id: str, actor: ActorDep, container: ContainerDep) -> list[dict[str, Any]]:
    """Grade sheets waiting for the training manager's approval."""
    return [{"sheet_id": p.sheet.id, "class": ClassRead.of(p.info), "subject_code": p.sheet.subject_code,
             "term": p.sheet.term, "submitted_by": p.sheet.submitted_by, "submitted_at": p.sheet.submitted_at}
            for p in views.approval_queue(actor, container.uow(), school_id)]


@router.get("/grade-sheets/{sheet_id}", response_model=GradeSheetRead)
def get_sheet(sheet_id: str, actor: ActorDep, container: ContainerDep) -> GradeSheetRead:
    view = views.sheet_by_id(actor, container.uow(), container.context, sheet_id)
    return GradeSheetRead.of(view.sheet, view.scale)


@router.post("/grade-sheets/{sheet_id}/approve", response_model=GradeSheetRead)
def approve(sheet_id: str, actor: ActorDep, container: ContainerDep) -> GradeSheetRead:
    """Approve: every learner's grade is published; approved annual grades are final."""
    return _sheet_read(container, actor, container.handle(commands.ApproveGrades(actor, sheet_id)))


@router.post("/grade-sheets/{sheet_id}/return", response_model=GradeSheetRead)
def return_to_teacher(sheet_id: str, body: ReturnIn, actor: ActorDep, container: ContainerDep) -> GradeSheetRead:
    return _sheet_read(container, actor, container.handle(commands.ReturnGrades(actor, sheet_id, body.reason)))
