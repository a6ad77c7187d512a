"""Assessments, marks, and grade sheets through submission and approval."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from teacher.domain import events
from teacher.domain.access import require_manages_school, require_teaches
from teacher.domain.errors import Refused, invalid, not_found
from teacher.domain.gradebook import ANNUAL, GradeSheet, SheetStatus
from teacher.domain.grading import Assessment, Mark, annual_percents, check_assessment, parse_percent, term_percents
from teacher.domain.reference import GradeScale, SchoolYear
from teacher.domain.rosters import ClassRoster
from teacher.service_layer import commands
from teacher.service_layer.handlers.common import Context, load_roster, not_in_future, where_of
from teacher.service_layer.unit_of_work import AbstractUnitOfWork


def scale_of(ctx: Context, roster: ClassRoster) -> GradeScale:
    scale = ctx.reference.calendar.year(roster.info.school_year).scale_for(roster.info.level)
    if scale is None:
        raise Refused(f"Class {roster.info.name} ({roster.info.level}) gets no marks or grades",
                      f"{roster.info.name} ({roster.info.level}) бүлэгт дүн тавихгүй.", code="no_grading_scale")
    return scale


def create_assessment(cmd: commands.CreateAssessment, uow: AbstractUnitOfWork, ctx: Context) -> Assessment:
    with uow:
        roster = load_roster(uow, cmd.class_id)
        scale_of(ctx, roster)
        year = ctx.reference.calendar.year(roster.info.school_year)
        term = year.term(cmd.term)
        name, weight = check_assessment(cmd.name, cmd.weight, cmd.held_on, term)
        require_teaches(cmd.actor, roster, cmd.held_on, cmd.subject_code)
        require_term_open(uow, cmd.class_id, cmd.subject_code, year.id, term.number)
        assessment = Assessment(ctx.new_id(), where_of(roster), cmd.subject_code, year.id, term.number, name,
                                cmd.held_on, weight, cmd.actor.account_id)
        uow.grades.add_assessment(assessment)
        uow.commit()
    return assessment


def require_term_open(uow: AbstractUnitOfWork, class_id: str, subject: str, year_id: str, term: int) -> None:
    for period in (ANNUAL, term):
        sheet = uow.grades.sheet(class_id, subject, year_id, period)
        if sheet is not None and (period == term or sheet.is_final):
            sheet.require_open()


def record_marks(cmd: commands.RecordMarks, uow: AbstractUnitOfWork, ctx: Context) -> int:
    """Save the grid's cells; returns how many marks changed (unchanged cells publish nothing)."""
    with uow:
        roster = load_roster(uow, cmd.class_id)
        changed = sum(_record_one(row, cell, cmd, roster, uow, ctx) for row, cell in enumerate(cmd.marks))
        uow.commit()
    return changed


def _record_one(row: int, cell: commands.MarkInput, cmd: commands.RecordMarks, roster: ClassRoster,
                uow: AbstractUnitOfWork, ctx: Context) -> bool:
    assessment = _assessment_of(uow, cell.assessment_id, cmd, row)
    require_teaches(cmd.actor, roster, assessment.held_on, assessment.subject_code)
    not_in_future(assessment.held_on, ctx, f"marks[{row}].assessment_id")
    require_term_open(uow, roster.class_id, assessment.subject_code, assessment.school_year, assessment.term)
    if not roster.is_enrolled(cell.learner_id, assessment.held_on):
        raise Refused(f"Row {row}: {cell.learner_id} was not in class {roster.info.name} on {assessment.held_on}",
                      f"{row}-р мөр: {cell.learner_id} {assessment.held_on}-нд {roster.info.name} ангид "
                      "бүртгэлгүй байсан.", code="learner_not_enrolled", learner_ids=[cell.learner_id],
                      fields=[{"field": f"marks[{row}].learner_id", "message": "not enrolled on that date"}])
    percent = parse_percent(cell.percent, f"marks[{row}].percent")
    previous = {m.learner_id: m.percent for m in uow.grades.marks([assessment.id])}.get(cell.learner_id)
    if previous == percent:
        return False
    uow.grades.save_mark(Mark(assessment.id, cell.learner_id, percent, cmd.actor.account_id, ctx.now()))
    uow.emit(events.MarkRecorded(ctx.now(), assessment.id, cell.learner_id, assessment.where,
                                 assessment.subject_code, assessment.school_year, assessment.term, assessment.name,
                                 assessment.held_on, assessment.weight, percent, cmd.actor.account_id))
    return True


def _assessment_of(uow: AbstractUnitOfWork, assessment_id: str, cmd: commands.RecordMarks, row: int) -> Assessment:
    assessment = uow.grades.assessment(assessment_id)
    if assessment is None or assessment.class_id != cmd.class_id or assessment.subject_code != cmd.subject_code:
        raise invalid(f"marks[{row}].assessment_id", f"No assessment {assessment_id} of {cmd.subject_code} in this "
                      "class", f"Энэ ангийн {cmd.subject_code} хичээлд ийм үнэлгээ байхгүй.",
                      code="assessment_not_found")
    return assessment


# ---------------------------------------------------------------- grade sheets

def sheet_day(ctx: Context, first: date, last: date) -> date:
    """The day whose roster a sheet lists: today, kept within the period."""
    return min(max(ctx.today(), first), last)


def period_bounds(year: SchoolYear, term: int) -> tuple[date, date]:
    if term == ANNUAL:
        return year.starts_on, year.ends_on
    found = year.term(term)
    return found.starts_on, found.ends_on


def computed_percents(uow: AbstractUnitOfWork, ctx: Context, roster: ClassRoster, subject: str, year: SchoolYear,
                      term: int) -> dict[str, Decimal | None]:
    learners = roster.learners_on(sheet_day(ctx, *period_bounds(year, term)))
    if term != ANNUAL:
        assessments = uow.grades.assessments(roster.class_id, subject, year.id, term)
        return term_percents(assessments, uow.grades.marks([a.id for a in assessments]), learners)
    by_term = {t.number: _effective_term(uow, ctx, roster, subject, year, t.number) for t in year.terms}
    return annual_percents(by_term, year.term_weights, learners)


def _effective_term(uow: AbstractUnitOfWork, ctx: Context, roster: ClassRoster, subject: str, year: SchoolYear,
                    term: int) -> dict[str, Decimal | None]:
    sheet = uow.grades.sheet(roster.class_id, subject, year.id, term)
    computed = computed_percents(uow, ctx, roster, subject, year, term)
    if sheet is None:
        return computed
    return {**computed, **{learner: entry.effective for learner, entry in sheet.entries.items()}}


def open_sheet(uow: AbstractUnitOfWork, ctx: Context, ref: commands.SheetRef) -> tuple[GradeSheet, ClassRoster]:
    """The class's sheet for the subject and period (created on first use), with fresh computed percents."""
    roster = load_roster(uow, ref.class_id)
    scale_of(ctx, roster)
    year = ctx.reference.calendar.year(ref.school_year or roster.info.school_year)
    first, last = period_bounds(year, ref.term)
    require_teaches(ref.actor, roster, sheet_day(ctx, first, last), ref.subject_code)
    sheet = uow.grades.sheet(ref.class_id, ref.subject_code, year.id, ref.term)
    if sheet is None:
        sheet = GradeSheet(ctx.new_id(), where_of(roster), ref.subject_code, year.id, ref.term)
        uow.grades.add_sheet(sheet)
    sheet.refresh(computed_percents(uow, ctx, roster, ref.subject_code, year, ref.term))
    return sheet, roster


def override_grade(cmd: commands.OverrideGrade, uow: AbstractUnitOfWork, ctx: Context) -> GradeSheet:
    percent = parse_percent(cmd.percent, "percent") if cmd.percent not in (None, "") else None
    with uow:
        sheet, _ = open_sheet(uow, ctx, cmd)
        sheet.override(cmd.learner_id, percent, cmd.reason, cmd.actor.account_id)
        uow.grades.save_sheet(sheet)
        uow.commit()
    return sheet


def submit_grades(cmd: commands.SubmitGrades, uow: AbstractUnitOfWork, ctx: Context) -> GradeSheet:
    with uow:
        sheet, _ = open_sheet(uow, ctx, cmd)
        if cmd.term == ANNUAL:
            _require_terms_approved(uow, ctx, cmd, sheet.school_year)
        sheet.submit(cmd.actor.account_id, ctx.now())
        uow.grades.save_sheet(sheet)
        uow.commit()
    return sheet


def _require_terms_approved(uow: AbstractUnitOfWork, ctx: Context, ref: commands.SheetRef, year_id: str) -> None:
    year = ctx.reference.calendar.year(year_id)
    pending = [t.number for t in year.terms
               if (s := uow.grades.sheet(ref.class_id, ref.subject_code, year.id, t.number)) is None
               or s.status is not SheetStatus.APPROVED]
    if pending:
        terms = ", ".join(map(str, pending))
        raise Refused(f"Annual grades come from approved term grades; not approved yet: term {terms}",
                      f"Жилийн дүн батлагдсан улирлын дүнгээс гарна; батлагдаагүй улирал: {terms}.",
                      code="terms_not_approved", terms=pending)


def _decided_sheet(uow: AbstractUnitOfWork, sheet_id: str) -> tuple[GradeSheet, ClassRoster]:
    sheet = uow.grades.get_sheet(sheet_id)
    if sheet is None:
        raise not_found("Grade sheet", "Дүнгийн хуудас", sheet_id, code="sheet_not_found")
    return sheet, load_roster(uow, sheet.where.class_id)


def approve_grades(cmd: commands.ApproveGrades, uow: AbstractUnitOfWork, ctx: Context) -> GradeSheet:
    with uow:
        sheet, roster = _decided_sheet(uow, cmd.sheet_id)
        require_manages_school(cmd.actor, sheet.where.school_id, "approve grades", "дүн батална")
        sheet.approve(cmd.actor.account_id, ctx.now(), scale_of(ctx, roster))
        uow.grades.save_sheet(sheet)
        uow.commit()
    return sheet


def return_grades(cmd: commands.ReturnGrades, uow: AbstractUnitOfWork, ctx: Context) -> GradeSheet:
    with uow:
        sheet, _ = _decided_sheet(uow, cmd.sheet_id)
        require_manages_school(cmd.actor, sheet.where.school_id, "return grades", "дүнг буцаана")
        sheet.return_to_teacher(cmd.actor.account_id, ctx.now(), cmd.reason)
        uow.grades.save_sheet(sheet)
        uow.commit()
    return sheet
