"""Marking and correcting attendance; the per-school attendance mode."""

from __future__ import annotations

from teacher.domain.access import require_manages_school, require_teaches
from teacher.domain.attendance import AttendanceSheet, check_lesson, check_marks
from teacher.domain.errors import Conflict, invalid
from teacher.domain.reference import AttendanceMode
from teacher.domain.rosters import ClassRoster
from teacher.service_layer import commands
from teacher.service_layer.handlers.common import Context, load_roster, not_in_future, where_of
from teacher.service_layer.unit_of_work import AbstractUnitOfWork


def attendance_mode(uow: AbstractUnitOfWork, ctx: Context, roster: ClassRoster) -> AttendanceMode:
    """The school's choice for the class's level, else the school year's default."""
    override = uow.attendance.mode_override(roster.info.school_id, roster.info.level)
    return override or ctx.reference.calendar.year(roster.info.school_year).attendance_mode(roster.info.level)


def mark_attendance(cmd: commands.MarkAttendance, uow: AbstractUnitOfWork, ctx: Context) -> AttendanceSheet:
    """Create the class's sheet for the day or lesson; the same form sent again returns the first result.

    Two submissions racing for the same sheet: the loser runs once more and finds the winner's sheet (its own
    form sent twice: that sheet is returned; another form: ``already_marked``).
    """
    try:
        return _mark(cmd, uow, ctx)
    except Conflict as exc:
        if exc.code != "concurrent_change":
            raise
        return _mark(cmd, uow, ctx)


def _mark(cmd: commands.MarkAttendance, uow: AbstractUnitOfWork, ctx: Context) -> AttendanceSheet:
    with uow:
        roster = load_roster(uow, cmd.class_id)
        require_teaches(cmd.actor, roster, cmd.day, cmd.subject_code or None)
        existing = uow.attendance.find(cmd.class_id, cmd.day, cmd.lesson)
        if existing is not None and existing.form_id == cmd.form_id:
            return existing
        _check_may_mark(cmd, uow, ctx, roster)
        if existing is not None:
            raise _already_marked(existing)
        marks = check_marks(cmd.marks, roster.learners_on(cmd.day), ctx.reference.attendance, cmd.day)
        sheet = AttendanceSheet.submit(
            sheet_id=ctx.new_id(), where=where_of(roster), day=cmd.day, lesson=cmd.lesson,
            subject_code=cmd.subject_code, form_id=cmd.form_id, marks=marks, by=cmd.actor.account_id,
            at=ctx.now(), codes=ctx.reference.attendance)
        uow.attendance.add(sheet)
        uow.commit()
    return sheet


def _check_may_mark(cmd: commands.MarkAttendance, uow: AbstractUnitOfWork, ctx: Context, roster: ClassRoster) -> None:
    not_in_future(cmd.day, ctx)
    ctx.reference.calendar.check_school_day(cmd.day, roster.info.school_year, roster.info.level)
    check_lesson(attendance_mode(uow, ctx, roster), cmd.lesson, cmd.subject_code, roster.info.level)
    if not cmd.form_id.strip():
        raise invalid("form_id", "The form id is required (it makes a re-sent form harmless)",
                      "Маягтын дугаар заавал байна.", code="form_id_required")


def _already_marked(sheet: AttendanceSheet) -> Conflict:
    lesson = f", lesson {sheet.lesson}" if sheet.lesson else ""
    lesson_mn = f", {sheet.lesson}-р цаг" if sheet.lesson else ""
    return Conflict(f"Class {sheet.class_id} was already marked for {sheet.day.isoformat()}{lesson}: "
                    "send corrections instead", f"{sheet.class_id} ангийн {sheet.day.isoformat()}{lesson_mn} ирц "
                    "бүртгэгдсэн байна: засвар илгээнэ үү.", code="already_marked", sheet_id=sheet.id)


def correct_attendance(cmd: commands.CorrectAttendance, uow: AbstractUnitOfWork, ctx: Context) -> AttendanceSheet:
    """Change some marks of a sheet; the submitted marks and every earlier correction are kept."""
    with uow:
        sheet = uow.attendance.get(cmd.sheet_id)
        if sheet is None:
            raise invalid("sheet_id", f"No attendance sheet {cmd.sheet_id}", "Ирцийн хуудас олдсонгүй.",
                          code="sheet_not_found")
        require_teaches(cmd.actor, load_roster(uow, sheet.class_id), sheet.day)
        made = sheet.correct(dict(cmd.changes), reason=cmd.reason, by=cmd.actor.account_id, at=ctx.now(),
                             codes=ctx.reference.attendance, new_id=ctx.new_id)
        if made:
            uow.attendance.save(sheet)
            uow.commit()
    return sheet


def set_attendance_mode(cmd: commands.SetAttendanceMode, uow: AbstractUnitOfWork, ctx: Context) -> None:
    require_manages_school(cmd.actor, cmd.school_id, "change how attendance is taken",
                           "ирц бүртгэх аргыг өөрчилнө")
    mode = None
    if cmd.mode is not None:
        try:
            mode = AttendanceMode(cmd.mode)
        except ValueError:
            raise invalid("mode", "The mode is 'daily' or 'per_lesson'", "Арга нь 'daily' эсвэл 'per_lesson'.",
                          code="unknown_mode") from None
    with uow:
        uow.attendance.set_mode(cmd.school_id, cmd.level.strip(), mode)
        uow.commit()
