"""The marks grid (learners × assessments) and the grade sheets with their approval state."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from teacher.domain.access import Actor, require_manages_school, require_reads_class
from teacher.domain.errors import not_found
from teacher.domain.gradebook import ANNUAL, GradeSheet, SheetStatus
from teacher.domain.grading import Assessment, term_percents
from teacher.domain.reference import Band, GradeScale
from teacher.domain.rosters import ClassInfo
from teacher.service_layer import commands
from teacher.service_layer.handlers.common import Context, load_roster
from teacher.service_layer.handlers.grades import open_sheet, period_bounds, scale_of, sheet_day
from teacher.service_layer.unit_of_work import AbstractUnitOfWork


@dataclass
class MarksGrid:
    info: ClassInfo
    subject_code: str
    school_year: str
    term: int
    scale: GradeScale
    assessments: list[Assessment]
    learners: list[str]
    marks: dict[tuple[str, str], Decimal]  # (assessment id, learner id) -> percent
    percents: dict[str, Decimal | None]
    status: SheetStatus

    def band(self, learner_id: str) -> Band | None:
        percent = self.percents.get(learner_id)
        return self.scale.band_for(percent) if percent is not None else None


def marks_grid(actor: Actor, uow: AbstractUnitOfWork, ctx: Context, class_id: str, subject_code: str,
               term: int) -> MarksGrid:
    with uow:
        roster = load_roster(uow, class_id)
        require_reads_class(actor, roster)
        scale = scale_of(ctx, roster)
        year = ctx.reference.calendar.year(roster.info.school_year)
        learners = roster.learners_on(sheet_day(ctx, *period_bounds(year, term)))
        assessments = sorted(uow.grades.assessments(class_id, subject_code, year.id, term),
                             key=lambda a: (a.held_on, a.name))
        marks = uow.grades.marks([a.id for a in assessments])
        sheet = uow.grades.sheet(class_id, subject_code, year.id, term)
        return MarksGrid(roster.info, subject_code, year.id, term, scale, assessments, learners,
                         {(m.assessment_id, m.learner_id): m.percent for m in marks},
                         term_percents(assessments, marks, learners),
                         sheet.status if sheet else SheetStatus.DRAFT)


@dataclass
class GradeView:
    info: ClassInfo
    sheet: GradeSheet
    scale: GradeScale

    def band(self, percent: Decimal | None) -> Band | None:
        return self.scale.band_for(percent) if percent is not None else None


def grade_sheet(actor: Actor, uow: AbstractUnitOfWork, ctx: Context, class_id: str, subject_code: str,
                term: int) -> GradeView:
    """The sheet with fresh computed percents (a preview: nothing is saved by looking)."""
    with uow:
        sheet, roster = open_sheet(uow, ctx, commands.SheetRef(actor, class_id, subject_code, "", term))
        return GradeView(roster.info, sheet, scale_of(ctx, roster))


def sheet_by_id(actor: Actor, uow: AbstractUnitOfWork, ctx: Context, sheet_id: str) -> GradeView:
    """A sheet as the training manager (or a teacher of the class) sees it."""
    with uow:
        sheet = uow.grades.get_sheet(sheet_id)
        if sheet is None:
            raise not_found("Grade sheet", "Дүнгийн хуудас", sheet_id, code="sheet_not_found")
        roster = load_roster(uow, sheet.where.class_id)
        require_reads_class(actor, roster)
        return GradeView(roster.info, sheet, scale_of(ctx, roster))


@dataclass(frozen=True)
class PendingSheet:
    sheet: GradeSheet
    info: ClassInfo


def approval_queue(actor: Actor, uow: AbstractUnitOfWork, school_id: str) -> list[PendingSheet]:
    """Sheets submitted for approval at the training manager's school."""
    require_manages_school(actor, school_id, "see grades waiting for approval", "батлах дүнг харна")
    with uow:
        sheets = uow.grades.sheets_of_school(school_id, SheetStatus.SUBMITTED)
        infos = {s.where.class_id: uow.rosters.class_info(s.where.class_id) for s in sheets}
    return [PendingSheet(s, info) for s in sorted(sheets, key=lambda s: (s.where.class_id, s.subject_code, s.term))
            if (info := infos[s.where.class_id]) is not None]


def sheets_of_class(actor: Actor, uow: AbstractUnitOfWork, class_id: str) -> list[GradeSheet]:
    with uow:
        roster = load_roster(uow, class_id)
        require_reads_class(actor, roster)
        sheets = uow.grades.sheets_of_class(class_id, roster.info.school_year)
    return sorted(sheets, key=lambda s: (s.subject_code, s.term == ANNUAL, s.term))
