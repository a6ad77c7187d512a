"""Writes of the analytic projections: one method per fact, each safe to apply in event order per key.

Replaying a topic applies the same calls in the same order, so the tables end up identical (no arrival times
are stored). ``EventConsumer``'s processed-event table makes a redelivered event a no-op.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Table, and_, insert, select, update
from sqlalchemy.orm import Session

from stats.adapters.orm import (
    appointments,
    attendance,
    classes,
    grades,
    learners,
    offsets,
    org_links,
    org_units,
    qualifications,
    spells,
    teaching,
    transfers,
    withdrawals,
)


def upsert(session: Session, table: Table, keys: dict[str, Any], values: dict[str, Any]) -> None:
    """Update the row with ``keys`` or insert it (portable between SQLite and PostgreSQL)."""
    where = and_(*(table.c[k] == v for k, v in keys.items()))
    if session.execute(update(table).where(where).values(**values)).rowcount == 0:
        session.execute(insert(table).values(**keys, **values))


class ProjectionStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record_offset(self, topic: str, partition: int, offset: int) -> None:
        keys = {"topic": topic, "partition": partition}
        current = self.session.execute(select(offsets.c.next_offset).filter_by(**keys)).scalar()
        if current is None or offset + 1 > current:
            upsert(self.session, offsets, keys, {"next_offset": offset + 1})

    # ------------------------------------------------------------ organisation hierarchy
    def org_created(self, unit_id: str, kind: str, code: str, name: str, parent_id: str, on: date) -> None:
        upsert(self.session, org_units, {"id": unit_id}, {"kind": kind, "code": code, "name": name,
                                                           "opened_on": on, "closed_on": None})
        if parent_id:
            upsert(self.session, org_links, {"unit_id": unit_id, "valid_from": on},
                   {"parent_id": parent_id, "valid_to": None})

    def org_moved(self, unit_id: str, parent_id: str, on: date) -> None:
        open_link = and_(org_links.c.unit_id == unit_id, org_links.c.valid_to.is_(None), org_links.c.valid_from < on)
        self.session.execute(update(org_links).where(open_link).values(valid_to=on))
        upsert(self.session, org_links, {"unit_id": unit_id, "valid_from": on},
               {"parent_id": parent_id, "valid_to": None})

    def org_closed(self, unit_id: str, on: date) -> None:
        self.session.execute(update(org_units).where(org_units.c.id == unit_id).values(closed_on=on))

    # ------------------------------------------------------------ learners and enrolment
    def learner(self, learner_id: str, sex: str, birth_year: int) -> None:
        upsert(self.session, learners, {"id": learner_id}, {"sex": sex, "birth_year": birth_year})

    def class_opened(self, class_id: str, school_id: str, year_id: str, level: str, capacity: int) -> None:
        upsert(self.session, classes, {"id": class_id},
               {"school_id": school_id, "year_id": year_id, "level": level, "capacity": capacity})

    def class_capacity(self, class_id: str, capacity: int) -> None:
        self.session.execute(update(classes).where(classes.c.id == class_id).values(capacity=capacity))

    def enrol(self, learner_id: str, org_id: str, class_id: str, grade: str, on: date) -> None:
        self.end_spell(learner_id, on)
        upsert(self.session, spells, {"learner_id": learner_id, "start": on, "class_id": class_id},
               {"org_id": org_id, "grade": grade, "end": None})

    def move_class(self, learner_id: str, org_id: str, class_id: str, on: date) -> None:
        level = self.session.execute(select(classes.c.level).where(classes.c.id == class_id)).scalar()
        current = self.session.execute(select(spells.c.grade).where(
            spells.c.learner_id == learner_id, spells.c.end.is_(None))).scalar()
        self.enrol(learner_id, org_id, class_id, level or current or "", on)

    def withdraw(self, learner_id: str, org_id: str, reason: str, on: date) -> None:
        self.end_spell(learner_id, on)
        upsert(self.session, withdrawals, {"learner_id": learner_id, "on": on}, {"org_id": org_id, "reason": reason})

    def end_spell(self, learner_id: str, on: date) -> None:
        still_open = and_(spells.c.learner_id == learner_id, spells.c.end.is_(None), spells.c.start <= on)
        self.session.execute(update(spells).where(still_open).values(end=on))

    def transfer(self, transfer_id: str, learner_id: str, from_org: str, to_org: str, status: str,
                 on: date | None) -> None:
        upsert(self.session, transfers, {"id": transfer_id}, {"learner_id": learner_id, "from_org_id": from_org,
                                                             "to_org_id": to_org, "status": status, "on": on})

    # ------------------------------------------------------------ journal
    def attendance(self, learner_id: str, day: date, lesson: int, class_id: str, org_id: str, category: str) -> None:
        upsert(self.session, attendance, {"learner_id": learner_id, "day": day, "lesson": lesson},
               {"class_id": class_id, "org_id": org_id, "category": category})

    def grade(self, learner_id: str, subject: str, year: str, term: int, org_id: str, class_id: str, grade: str,
              percent: float) -> None:
        upsert(self.session, grades, {"learner_id": learner_id, "subject_code": subject, "school_year": year,
                                      "term": term},
               {"org_id": org_id, "class_id": class_id, "grade": grade, "percent": percent})

    # ------------------------------------------------------------ staff
    def appointment(self, appointment_id: str, staff_id: str, org_id: str, kind: str, fte: int, start: date,
                    sex: str | None = None) -> None:
        known = self.session.execute(select(appointments.c.sex).where(appointments.c.staff_id == staff_id)).scalar()
        upsert(self.session, appointments, {"id": appointment_id},
               {"staff_id": staff_id, "org_id": org_id, "position_kind": kind, "fte_percent": fte, "start": start,
                "end": None, "sex": sex or known or "unknown"})

    def end_appointments(self, staff_id: str, on: date, ids: list[str] | None = None,
                         org_id: str | None = None) -> None:
        where = [appointments.c.staff_id == staff_id, appointments.c.end.is_(None)]
        if ids:
            where.append(appointments.c.id.in_(ids))
        if org_id:
            where.append(appointments.c.org_id == org_id)
        self.session.execute(update(appointments).where(*where).values(end=on))

    def qualification(self, staff_id: str, rank_code: str, licence_valid_until: date | None) -> None:
        upsert(self.session, qualifications, {"staff_id": staff_id},
               {"rank_code": rank_code, "licence_valid_until": licence_valid_until})

    def teach(self, assignment_id: str, staff_id: str, class_id: str, org_id: str, subject: str, hours: int,
              start: date, last_day: date | None) -> None:
        upsert(self.session, teaching, {"id": assignment_id},
               {"staff_id": staff_id, "class_id": class_id, "org_id": org_id, "subject_code": subject,
                "weekly_hours": hours, "start": start, "last_day": last_day})

    def unteach(self, assignment_id: str, last_day: date) -> None:
        self.session.execute(update(teaching).where(teaching.c.id == assignment_id).values(last_day=last_day))
