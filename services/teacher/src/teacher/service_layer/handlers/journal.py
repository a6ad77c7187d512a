"""Homework and the lesson topic log."""

from __future__ import annotations

from teacher.domain.access import require_teaches
from teacher.domain.journal import Homework, LessonTopic
from teacher.service_layer import commands
from teacher.service_layer.handlers.common import Context, load_roster, not_in_future, where_of
from teacher.service_layer.unit_of_work import AbstractUnitOfWork


def assign_homework(cmd: commands.AssignHomework, uow: AbstractUnitOfWork, ctx: Context) -> Homework:
    assigned_on = cmd.assigned_on or ctx.today()
    with uow:
        roster = load_roster(uow, cmd.class_id)
        require_teaches(cmd.actor, roster, assigned_on, cmd.subject_code)
        homework = Homework.assign(homework_id=ctx.new_id(), where=where_of(roster), subject_code=cmd.subject_code,
                                   assigned_on=assigned_on, due_on=cmd.due_on, text=cmd.text,
                                   content_ids=cmd.content_ids, by=cmd.actor.account_id, at=ctx.now())
        uow.journal.add_homework(homework)
        uow.commit()
    return homework


def log_lesson_topic(cmd: commands.LogLessonTopic, uow: AbstractUnitOfWork, ctx: Context) -> LessonTopic:
    """Record what a lesson covered; logging the same lesson again replaces its topic."""
    with uow:
        roster = load_roster(uow, cmd.class_id)
        require_teaches(cmd.actor, roster, cmd.day, cmd.subject_code)
        not_in_future(cmd.day, ctx)
        ctx.reference.calendar.check_school_day(cmd.day, roster.info.school_year, roster.info.level)
        entry = uow.journal.topic(cmd.class_id, cmd.day, cmd.lesson)
        if entry is None or entry.subject_code != cmd.subject_code:
            entry = LessonTopic.log(entry_id=entry.id if entry else ctx.new_id(), where=where_of(roster),
                                    subject_code=cmd.subject_code, day=cmd.day, lesson=cmd.lesson, topic=cmd.topic,
                                    notes=cmd.notes, by=cmd.actor.account_id, at=ctx.now())
        else:
            entry.revise(cmd.topic, cmd.notes, cmd.actor.account_id, ctx.now())
        uow.journal.save_topic(entry)
        uow.commit()
    return entry
