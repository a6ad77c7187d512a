"""A learner's history across years and schools, for their current teachers: approved grades and attendance."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from teacher.domain.access import Actor, may_read_class
from teacher.domain.errors import NotPermitted
from teacher.service_layer.handlers.common import Context
from teacher.service_layer.unit_of_work import AbstractUnitOfWork


@dataclass(frozen=True)
class GradeLine:
    school_year: str
    school_id: str
    class_id: str
    subject_code: str
    term: int
    percent: Decimal
    band: str


@dataclass(frozen=True)
class AttendanceLine:
    school_year: str
    school_id: str
    class_id: str
    counts: dict[str, int]  # reporting category -> days or lessons


@dataclass(frozen=True)
class LearnerHistory:
    learner_id: str
    grades: list[GradeLine]
    attendance: list[AttendanceLine]


def learner_history(actor: Actor, uow: AbstractUnitOfWork, ctx: Context, learner_id: str) -> LearnerHistory:
    today = ctx.today()
    with uow:
        current = [e for e in uow.rosters.enrolments_of_learner(learner_id) if e.active_on(today)]
        rosters = uow.rosters.rosters([e.class_id for e in current])
        if not any(may_read_class(actor, roster) for roster in rosters):
            raise NotPermitted("The history is shown to the learner's current teachers",
                               "Сурагчийн түүхийг одоогийн багш нь л харна.", code="not_your_learner")
        return LearnerHistory(learner_id, _grades(uow, ctx, learner_id), _attendance(uow, ctx, learner_id))


def _grades(uow: AbstractUnitOfWork, ctx: Context, learner_id: str) -> list[GradeLine]:
    lines = []
    for sheet, entry in uow.grades.approved_of_learner(learner_id):
        info = uow.rosters.class_info(sheet.where.class_id)
        year = ctx.reference.calendar.years.get(sheet.school_year)
        scale = year.scale_for(info.level) if year is not None and info is not None else None
        if entry.effective is not None:
            band = scale.band_for(entry.effective).code if scale is not None else ""
            lines.append(GradeLine(sheet.school_year, sheet.where.school_id, sheet.where.class_id,
                                   sheet.subject_code, sheet.term, entry.effective, band))
    return sorted(lines, key=lambda g: (g.school_year, g.subject_code, g.term == 0, g.term))


def _attendance(uow: AbstractUnitOfWork, ctx: Context, learner_id: str) -> list[AttendanceLine]:
    by_class: dict[str, Counter[str]] = {}
    for class_id, _, _, code in uow.attendance.codes_of_learner(learner_id):
        by_class.setdefault(class_id, Counter())[ctx.reference.attendance.code(code).category] += 1
    lines = []
    for class_id, counted in by_class.items():
        info = uow.rosters.class_info(class_id)
        if info is not None:
            lines.append(AttendanceLine(info.school_year, info.school_id, class_id, dict(counted)))
    return sorted(lines, key=lambda line: (line.school_year, line.class_id))
