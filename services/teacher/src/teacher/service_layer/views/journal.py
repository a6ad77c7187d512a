"""Homework, the lesson log and kindergarten children's records, as a class's teachers see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from teacher.domain.access import Actor, require_reads_class
from teacher.domain.errors import Refused
from teacher.domain.journal import Homework, LessonTopic
from teacher.domain.kindergarten import DevelopmentObservation, GrowthMeasurement
from teacher.domain.rosters import ClassInfo
from teacher.service_layer.handlers.common import Context, load_roster
from teacher.service_layer.unit_of_work import AbstractUnitOfWork

HOMEWORK_PAST_DAYS = 14
LOG_DAYS = 31


@dataclass
class ClassJournal:
    info: ClassInfo
    subjects: list[str]
    homework: list[Homework]
    topics: list[LessonTopic]


def class_journal(actor: Actor, uow: AbstractUnitOfWork, ctx: Context, class_id: str) -> ClassJournal:
    """Homework due from two weeks ago on, and the lessons logged in the last month."""
    today = ctx.today()
    with uow:
        roster = load_roster(uow, class_id)
        require_reads_class(actor, roster)
        homework = uow.journal.homework_of_class(class_id, today - timedelta(days=HOMEWORK_PAST_DAYS))
        topics = uow.journal.topics_of_class(class_id, today - timedelta(days=LOG_DAYS), today)
        return ClassJournal(roster.info, roster.subjects_in_year(),
                            sorted(homework, key=lambda h: (h.due_on, h.subject_code), reverse=True),
                            sorted(topics, key=lambda t: (t.day, t.lesson), reverse=True))


@dataclass
class ChildRecord:
    info: ClassInfo
    learner_id: str
    measurements: list[GrowthMeasurement]
    observations: list[DevelopmentObservation]


def child_record(actor: Actor, uow: AbstractUnitOfWork, class_id: str, learner_id: str) -> ChildRecord:
    with uow:
        roster = load_roster(uow, class_id)
        require_reads_class(actor, roster)
        if not any(e.learner_id == learner_id for e in roster.enrolments):
            raise Refused(f"{learner_id} is not in group {roster.info.name}",
                          f"{learner_id} {roster.info.name} бүлэгт байхгүй.", code="learner_not_enrolled")
        return ChildRecord(roster.info, learner_id, uow.kindergarten.measurements(learner_id),
                           sorted(uow.kindergarten.observations(learner_id), key=lambda o: o.observed_on,
                                  reverse=True))
