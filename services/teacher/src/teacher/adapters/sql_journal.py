"""Homework, the lesson log and kindergarten records on SQL."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from teacher.adapters.orm import development_observations, growth_measurements, homework, lesson_topics
from teacher.adapters.repository import JournalRepository, KindergartenRepository
from teacher.adapters.sql_attendance import where_of, where_values
from teacher.domain.journal import Homework, LessonTopic
from teacher.domain.kindergarten import DevelopmentObservation, GrowthMeasurement

_TOPIC_FIELDS = ("subject_code", "topic", "notes", "logged_by", "logged_at")


def _topic(row: Any) -> LessonTopic:
    return LessonTopic(row.id, where_of(row), row.subject_code, row.day, row.lesson, row.topic, row.notes,
                       row.logged_by, row.logged_at)


class SqlJournalRepository(JournalRepository):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def add_homework(self, item: Homework) -> None:
        self.track(item)
        self.session.execute(insert(homework).values(
            id=item.id, **where_values(item.where), subject_code=item.subject_code, assigned_on=item.assigned_on,
            due_on=item.due_on, text=item.text, content_ids=list(item.content_ids), assigned_by=item.assigned_by,
            assigned_at=item.assigned_at))

    def homework_of_class(self, class_id: str, due_from: date) -> list[Homework]:
        rows = self.session.execute(select(homework).where(homework.c.class_id == class_id,
                                                           homework.c.due_on >= due_from))
        return [Homework(r.id, where_of(r), r.subject_code, r.assigned_on, r.due_on, r.text, tuple(r.content_ids),
                         r.assigned_by, r.assigned_at) for r in rows]

    def topic(self, class_id: str, day: date, lesson: int) -> LessonTopic | None:
        row = self.session.execute(select(lesson_topics).where(
            lesson_topics.c.class_id == class_id, lesson_topics.c.day == day, lesson_topics.c.lesson == lesson)).first()
        return _topic(row) if row else None

    def save_topic(self, topic: LessonTopic) -> None:
        values = {name: getattr(topic, name) for name in _TOPIC_FIELDS}
        done = self.session.execute(update(lesson_topics).where(lesson_topics.c.id == topic.id).values(**values))
        if done.rowcount == 0:  # type: ignore[attr-defined]
            self.session.execute(insert(lesson_topics).values(id=topic.id, **where_values(topic.where),
                                                              day=topic.day, lesson=topic.lesson, **values))

    def topics_of_class(self, class_id: str, first: date, last: date) -> list[LessonTopic]:
        rows = self.session.execute(select(lesson_topics).where(lesson_topics.c.class_id == class_id,
                                                                lesson_topics.c.day.between(first, last)))
        return [_topic(row) for row in rows]


class SqlKindergartenRepository(KindergartenRepository):
    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def add_measurement(self, m: GrowthMeasurement) -> None:
        self.track(m)
        self.session.execute(insert(growth_measurements).values(
            id=m.id, learner_id=m.learner_id, **where_values(m.where), measured_on=m.measured_on,
            height_cm=m.height_cm, weight_kg=m.weight_kg, measured_by=m.measured_by, recorded_at=m.recorded_at))

    def measurements(self, learner_id: str) -> list[GrowthMeasurement]:
        rows = self.session.execute(select(growth_measurements).where(growth_measurements.c.learner_id == learner_id)
                                    .order_by(growth_measurements.c.measured_on))
        return [GrowthMeasurement(r.id, r.learner_id, where_of(r), r.measured_on, r.height_cm, r.weight_kg,
                                  r.measured_by, r.recorded_at) for r in rows]

    def add_observation(self, o: DevelopmentObservation) -> None:
        self.track(o)
        self.session.execute(insert(development_observations).values(
            id=o.id, learner_id=o.learner_id, **where_values(o.where), observed_on=o.observed_on, domain=o.domain,
            level=o.level, note=o.note, observed_by=o.observed_by, recorded_at=o.recorded_at))

    def observations(self, learner_id: str) -> list[DevelopmentObservation]:
        rows = self.session.execute(select(development_observations)
                                    .where(development_observations.c.learner_id == learner_id)
                                    .order_by(development_observations.c.observed_on))
        return [DevelopmentObservation(r.id, r.learner_id, where_of(r), r.observed_on, r.domain, r.level, r.note,
                                       r.observed_by, r.recorded_at) for r in rows]
