"""Records other services ask for over gRPC: final (annual) grades and attendance counts per school year."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from teacher.domain.events import Where
from teacher.domain.gradebook import ANNUAL, GradeSheet, SheetStatus
from teacher.service_layer.handlers.common import Context
from teacher.service_layer.unit_of_work import AbstractUnitOfWork


@dataclass(frozen=True)
class FinalGrade:
    learner_id: str
    where: Where
    subject_code: str
    school_year: str
    percent: Decimal
    scale: str
    band: str


def final_grades(uow: AbstractUnitOfWork, ctx: Context, school_year: str, *, learner_id: str = "",
                 class_id: str = "") -> list[FinalGrade]:
    """Approved annual grades of one learner, or of one class, in a school year."""
    with uow:
        if class_id:
            sheets = uow.grades.sheets_of_class(class_id, school_year)
        else:
            sheets = [s for s, _ in uow.grades.approved_of_learner(learner_id) if s.school_year == school_year]
        finals = [s for s in sheets if s.term == ANNUAL and s.status is SheetStatus.APPROVED]
        levels = {s.where.class_id: info.level for s in finals if (info := uow.rosters.class_info(s.where.class_id))}
    return [grade for sheet in finals for grade in _grades(ctx, sheet, levels.get(sheet.where.class_id, ""))
            if not learner_id or grade.learner_id == learner_id]


def _grades(ctx: Context, sheet: GradeSheet, level: str) -> list[FinalGrade]:
    year = ctx.reference.calendar.years.get(sheet.school_year)
    scale = year.scale_for(level) if year else None
    return [FinalGrade(learner, sheet.where, sheet.subject_code, sheet.school_year, entry.effective,
                       scale.code if scale else "", scale.band_for(entry.effective).code if scale else "")
            for learner, entry in sorted(sheet.entries.items()) if entry.effective is not None]


def attendance_counts(uow: AbstractUnitOfWork, ctx: Context, learner_id: str,
                      school_year: str) -> tuple[dict[str, int], dict[str, int]]:
    """(daily, per lesson) counts by reporting category of the learner's marks in the school year."""
    daily: Counter[str] = Counter()
    lessons: Counter[str] = Counter()
    with uow:
        rows = uow.attendance.codes_of_learner(learner_id)
        years = {c: info.school_year for c in {r[0] for r in rows} if (info := uow.rosters.class_info(c))}
    for class_id, _, lesson, code in rows:
        if years.get(class_id) == school_year:
            (lessons if lesson else daily)[ctx.reference.attendance.code(code).category] += 1
    return dict(daily), dict(lessons)
