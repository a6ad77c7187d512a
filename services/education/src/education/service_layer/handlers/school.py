"""School years, subjects and weekly hours, classes and timetables."""

from __future__ import annotations

from education.domain import access
from education.domain.base import new_id
from education.domain.calendar import SchoolYear, default_school_year
from education.domain.classes import SchoolClass
from education.domain.curriculum import Subject
from education.domain.errors import Conflict
from education.domain.levels import level
from education.domain.timetable import Timetable, check_lessons, find_conflicts
from education.service_layer import commands
from education.service_layer.handlers.common import Context, fetch, school, school_class, school_year, seats_taken


def _require_reference_admin(ctx: Context) -> None:
    access.require(access.manages_reference_data(ctx.actor), "сургалтын төлөвлөгөө, хуанли өөрчлөх",
                   "change the calendar or the curriculum")


def _require_school_admin(ctx: Context, school_id: str) -> None:
    access.require(access.manages_school(ctx.actor, school_id), "энэ сургуулийн мэдээллийг өөрчлөх",
                   "change this school's data")


def define_school_year(cmd: commands.DefineSchoolYear, ctx: Context) -> str:
    _require_reference_admin(ctx)
    with ctx.uow:
        year = _school_year_from(cmd)
        existing = ctx.uow.school_years.get(year.id)
        if existing is None:
            ctx.uow.school_years.add(year)
        else:
            existing.revise(starts_on=year.starts_on, ends_on=year.ends_on, terms=year.terms, holidays=year.holidays)
        ctx.uow.commit()
        return year.id


def _school_year_from(cmd: commands.DefineSchoolYear) -> SchoolYear:
    default = default_school_year(cmd.start_year)
    return SchoolYear.define(
        starts_on=cmd.starts_on or default.starts_on, ends_on=cmd.ends_on or default.ends_on,
        terms=list(cmd.terms) or default.terms,
        holidays=default.holidays if cmd.holidays is None else list(cmd.holidays))


def define_subject(cmd: commands.DefineSubject, ctx: Context) -> str:
    _require_reference_admin(ctx)
    with ctx.uow:
        if any(s.code == cmd.code.strip() for s in ctx.uow.subjects.all()):
            raise Conflict(f"'{cmd.code}' кодтой хичээл бүртгэлтэй.", f"Subject code '{cmd.code}' is taken.",
                           code="subject_code_taken", field="code")
        subject = Subject.define(id=new_id(), code=cmd.code, name_mn=cmd.name_mn, kind=cmd.kind, name_en=cmd.name_en)
        ctx.uow.subjects.add(subject)
        ctx.uow.commit()
        return subject.id


def set_weekly_hours(cmd: commands.SetWeeklyHours, ctx: Context) -> None:
    _require_reference_admin(ctx)
    with ctx.uow:
        school_year(ctx, cmd.year_id)
        subject = fetch(ctx.uow.subjects, cmd.subject_id, "Хичээл", "Subject")
        subject.set_weekly_hours(cmd.year_id, level(cmd.level), cmd.hours)
        ctx.uow.commit()


def open_class(cmd: commands.OpenClass, ctx: Context) -> str:
    _require_school_admin(ctx, cmd.school_id)
    with ctx.uow:
        school(ctx, cmd.school_id)
        school_year(ctx, cmd.year_id)
        opened = SchoolClass.open(id=new_id(), school_id=cmd.school_id, year_id=cmd.year_id, level=level(cmd.level),
                                  letter=cmd.letter, shift=cmd.shift, capacity=cmd.capacity, room=cmd.room,
                                  class_teacher_id=cmd.class_teacher_id)
        if any(c.name == opened.name for c in ctx.uow.classes.for_school(cmd.school_id, cmd.year_id)):
            raise Conflict(f"{opened.name} бүлэг энэ хичээлийн жилд аль хэдийн байна.",
                           f"Class {opened.name} already exists this school year.", code="class_exists", field="letter")
        ctx.uow.classes.add(opened)
        ctx.uow.commit()
        return opened.id


def change_class(cmd: commands.ChangeClass, ctx: Context) -> None:
    with ctx.uow:
        target = school_class(ctx, cmd.class_id)
        _require_school_admin(ctx, target.school_id)
        target.change(room=cmd.room, capacity=cmd.capacity, class_teacher_id=cmd.class_teacher_id,
                      enrolled=seats_taken(ctx, target, ctx.clock.today()))
        ctx.uow.commit()


def save_timetable(cmd: commands.SaveTimetable, ctx: Context) -> None:
    """Refuses with every conflict listed; nothing is saved until the timetable has none."""
    lessons = check_lessons(cmd.lessons)
    with ctx.uow:
        target = school_class(ctx, cmd.class_id)
        _require_school_admin(ctx, target.school_id)
        subjects = {s.id: s for s in ctx.uow.subjects.all()}
        conflicts = find_conflicts(target, lessons, ctx.uow.timetables.for_year(target.year_id), subjects)
        _timetable(ctx, target).replace(lessons, conflicts)
        ctx.uow.commit()


def publish_timetable(cmd: commands.PublishTimetable, ctx: Context) -> None:
    with ctx.uow:
        target = school_class(ctx, cmd.class_id)
        _require_school_admin(ctx, target.school_id)
        _timetable(ctx, target).publish({s.id: s.code for s in ctx.uow.subjects.all()})
        ctx.uow.commit()


def _timetable(ctx: Context, target: SchoolClass) -> Timetable:
    found = ctx.uow.timetables.get(target.id)
    if found is None:
        found = Timetable.for_class(target)
        ctx.uow.timetables.add(found)
    return found
