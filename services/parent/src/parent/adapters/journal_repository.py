"""SQL repositories for the journal read models (attendance, marks, grades, homework, growth) and messaging."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from parent.adapters import orm
from parent.adapters.sql import row_dict, upsert, utc
from parent.domain.growth import Measurement
from parent.domain.messaging import Consultation, Message, Thread
from parent.domain.school import AttendanceEntry, DevelopmentNote, Grade, Homework, Mark


class SqlJournal:
    def __init__(self, session: Session) -> None:
        self.s = session

    def save_attendance(self, entry: AttendanceEntry) -> AttendanceEntry | None:
        t = orm.attendance
        row = self.s.execute(select(t).where(t.c.learner_id == entry.learner_id, t.c.day == entry.day,
                                             t.c.lesson == entry.lesson)).first()
        upsert(self.s, t, vars(entry).copy())
        return AttendanceEntry(**row_dict(row)) if row else None

    def attendance(self, learner_id: str, first: date, last: date) -> list[AttendanceEntry]:
        t = orm.attendance
        rows = self.s.execute(select(t).where(t.c.learner_id == learner_id, t.c.day >= first, t.c.day <= last)
                              .order_by(t.c.day, t.c.lesson))
        return [AttendanceEntry(**row_dict(r)) for r in rows]

    def save_mark(self, mark: Mark) -> bool:
        return upsert(self.s, orm.marks, vars(mark).copy())

    def marks(self, learner_id: str) -> list[Mark]:
        t = orm.marks
        rows = self.s.execute(select(t).where(t.c.learner_id == learner_id).order_by(t.c.held_on, t.c.assessment_id))
        return [Mark(**{**row_dict(r), "percent": Decimal(r.percent), "weight": Decimal(r.weight)}) for r in rows]

    def save_grade(self, grade: Grade) -> None:
        upsert(self.s, orm.grades, vars(grade).copy())

    def grades(self, learner_id: str) -> list[Grade]:
        t = orm.grades
        rows = self.s.execute(select(t).where(t.c.learner_id == learner_id))
        return [Grade(**{**row_dict(r), "percent": Decimal(r.percent)}) for r in rows]

    def save_homework(self, homework: Homework) -> None:
        upsert(self.s, orm.homework, vars(homework).copy())

    def homework(self, class_id: str, due_from: date) -> list[Homework]:
        t = orm.homework
        rows = self.s.execute(select(t).where(t.c.class_id == class_id, t.c.due_on >= due_from)
                              .order_by(t.c.due_on, t.c.subject_code))
        return [Homework(**row_dict(r)) for r in rows]

    def save_measurement(self, measurement: Measurement) -> None:
        upsert(self.s, orm.growth, vars(measurement).copy())

    def measurements(self, learner_id: str) -> list[Measurement]:
        t = orm.growth
        rows = self.s.execute(select(t).where(t.c.learner_id == learner_id).order_by(t.c.measured_on))
        return [Measurement(r.measurement_id, r.learner_id, r.measured_on, Decimal(r.height_cm), Decimal(r.weight_kg))
                for r in rows]

    def save_note(self, note: DevelopmentNote) -> None:
        upsert(self.s, orm.development_notes, vars(note).copy())

    def notes(self, learner_id: str) -> list[DevelopmentNote]:
        t = orm.development_notes
        rows = self.s.execute(select(t).where(t.c.learner_id == learner_id).order_by(t.c.observed_on.desc()))
        return [DevelopmentNote(**row_dict(r)) for r in rows]


def _message(row: object) -> Message:
    values = row_dict(row)
    return Message(**{**values, "posted_at": utc(values["posted_at"])})


class SqlThreads:
    def __init__(self, session: Session) -> None:
        self.s = session

    def _thread(self, row: object) -> Thread:
        values = row_dict(row)
        values["started_at"], values["last_message_at"] = utc(values["started_at"]), utc(values["last_message_at"])
        t = orm.messages
        found = self.s.execute(select(t).where(t.c.thread_id == values["thread_id"]).order_by(t.c.posted_at))
        return Thread(**values, messages=[_message(r) for r in found])

    def get(self, thread_id: str) -> Thread | None:
        row = self.s.execute(select(orm.threads).where(orm.threads.c.thread_id == thread_id)).first()
        return self._thread(row) if row else None

    def find(self, learner_id: str, guardian_account_id: str, teacher_account_id: str) -> Thread | None:
        t = orm.threads
        row = self.s.execute(select(t).where(t.c.learner_id == learner_id, t.c.guardian_account_id ==
                                             guardian_account_id, t.c.teacher_account_id == teacher_account_id)).first()
        return self._thread(row) if row else None

    def for_guardian(self, account_id: str, learner_id: str) -> list[Thread]:
        t = orm.threads
        rows = self.s.execute(select(t).where(t.c.guardian_account_id == account_id, t.c.learner_id == learner_id)
                              .order_by(t.c.last_message_at.desc()))
        return [self._thread(r) for r in rows]

    def for_teacher(self, account_id: str) -> list[Thread]:
        t = orm.threads
        rows = self.s.execute(select(t).where(t.c.teacher_account_id == account_id)
                              .order_by(t.c.last_message_at.desc()))
        return [self._thread(r) for r in rows]

    def save(self, thread: Thread) -> None:
        values = {k: v for k, v in vars(thread).items() if k != "messages"}
        upsert(self.s, orm.threads, values)

    def add_message(self, message: Message) -> None:
        upsert(self.s, orm.messages, vars(message).copy())


def _consultation(row: object) -> Consultation:
    values = row_dict(row)
    values["requested_at"], values["scheduled_for"] = utc(values["requested_at"]), utc(values["scheduled_for"])
    return Consultation(**values)


class SqlConsultations:
    def __init__(self, session: Session) -> None:
        self.s = session

    def get(self, consultation_id: str) -> Consultation | None:
        t = orm.consultations
        row = self.s.execute(select(t).where(t.c.consultation_id == consultation_id)).first()
        return _consultation(row) if row else None

    def for_guardian(self, account_id: str, learner_id: str) -> list[Consultation]:
        t = orm.consultations
        rows = self.s.execute(select(t).where(t.c.guardian_account_id == account_id, t.c.learner_id == learner_id)
                              .order_by(t.c.requested_at.desc()))
        return [_consultation(r) for r in rows]

    def for_teacher(self, account_id: str) -> list[Consultation]:
        t = orm.consultations
        rows = self.s.execute(select(t).where(t.c.teacher_account_id == account_id).order_by(t.c.requested_at.desc()))
        return [_consultation(r) for r in rows]

    def save(self, consultation: Consultation) -> None:
        upsert(self.s, orm.consultations, vars(consultation).copy())
