"""Writes of the analytic projections: one method per fact, each safe to apply in event order per key.

Replaying a topic applies the same calls in the same order, so the tables end up identical (no arrival times
are stored). ``EventConsumer``'s processed-event table makes a redelivered event a no-op.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from esis_shared.db import upsert_rows
from sqlalchemy import Table, and_, bindparam, case, insert, select, update
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
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


def last_per_key(rows: Sequence[dict[str, Any]], keys: Sequence[str]) -> list[dict[str, Any]]:
    """The last row of each key, in the order of their last occurrence (applying them one by one ends the same)."""
    latest: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row in rows:
        key = tuple(row[k] for k in keys)
        latest.pop(key, None)
        latest[key] = row
    return list(latest.values())


def upsert(session: Session, table: Table, keys: dict[str, Any], values: dict[str, Any]) -> None:
    """Update the row with ``keys`` or insert it (portable between SQLite and PostgreSQL)."""
    where = and_(*(table.c[k] == v for k, v in keys.items()))
    if session.execute(update(table).where(where).values(**values)).rowcount == 0:
        session.execute(insert(table).values(**keys, **values))


class ProjectionStore:
    def __init__(self, session: Session) -> None:
        self.session = session

    def record_offsets(self, highest: dict[tuple[str, int], int]) -> None:
        """``record_offset`` of many partitions in one statement (the next offset only ever grows)."""
        if not highest:
            return
        dialect = self.session.get_bind().dialect.name
        statement = {"postgresql": postgresql_insert, "sqlite": sqlite_insert}[dialect](offsets)
        grown = case((statement.excluded.next_offset > offsets.c.next_offset, statement.excluded.next_offset),
                     else_=offsets.c.next_offset)
        self.session.execute(statement.on_conflict_do_update(index_elements=["topic", "partition"],
                                                             set_={"next_offset": grown}),
                             [{"topic": t, "partition": p, "next_offset": o + 1} for (t, p), o in highest.items()])

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

    def orgs_created(self, rows: Sequence[dict[str, Any]]) -> None:
        """Many ``org_created`` calls: rows of unit_id, kind, code, name, parent_id, on."""
        upsert_rows(self.session, org_units, [{"id": r["unit_id"], "kind": r["kind"], "code": r["code"],
                                               "name": r["name"], "opened_on": r["on"], "closed_on": None}
                                              for r in last_per_key(rows, ["unit_id"])])
        upsert_rows(self.session, org_links, [{"unit_id": r["unit_id"], "valid_from": r["on"],
                                               "parent_id": r["parent_id"], "valid_to": None}
                                              for r in last_per_key([r for r in rows if r["parent_id"]],
                                                                    ["unit_id", "on"])])

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

    def learners(self, rows: Sequence[dict[str, Any]]) -> None:
        """Many ``learner`` calls at once: rows of id, sex, birth_year."""
        upsert_rows(self.session, learners, last_per_key(rows, ["id"]))

    def enrol_many(self, rows: Sequence[dict[str, Any]]) -> None:
        """Many ``enrol`` calls in their order: rows of learner_id, org_id, class_id, grade, on. Learners repeat
        only across chunks, so within a chunk ending the open spells and opening the new ones commute."""
        chunk: list[dict[str, Any]] = []
        seen: set[str] = set()
        for row in rows:
            if row["learner_id"] in seen:
                self._enrol_chunk(chunk)
                chunk, seen = [], set()
            chunk.append(row)
            seen.add(row["learner_id"])
        self._enrol_chunk(chunk)

    def _enrol_chunk(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        open_ones = self._with_open_spells([r["learner_id"] for r in rows])
        ending = [{"lid": r["learner_id"], "day": r["on"]} for r in rows if r["learner_id"] in open_ones]
        if ending:  # a first enrolment (most of a national load or a rebuild) has no spell to end
            still_open = and_(spells.c.learner_id == bindparam("lid"), spells.c.end.is_(None),
                              spells.c.start <= bindparam("day"))
            self.session.execute(update(spells).where(still_open).values(end=bindparam("day")), ending)
        upsert_rows(self.session, spells, [{"learner_id": r["learner_id"], "start": r["on"], "class_id": r["class_id"],
                                            "org_id": r["org_id"], "grade": r["grade"], "end": None} for r in rows])

    def _with_open_spells(self, learner_ids: list[str], page: int = 1000) -> set[str]:
        found: set[str] = set()
        for i in range(0, len(learner_ids), page):
            found.update(self.session.execute(select(spells.c.learner_id).distinct().where(
                spells.c.learner_id.in_(learner_ids[i:i + page]), spells.c.end.is_(None))).scalars())
        return found

    def classes_opened(self, rows: Sequence[dict[str, Any]]) -> None:
        """Many ``class_opened`` calls: rows of id, school_id, year_id, level, capacity."""
        upsert_rows(self.session, classes, last_per_key(rows, ["id"]))

    def class_capacities(self, rows: Sequence[dict[str, Any]]) -> None:
        """Many ``class_capacity`` calls in their order: rows of class_id, capacity (the last one of a class wins)."""
        latest = last_per_key(rows, ["class_id"])
        if latest:
            self.session.execute(update(classes).where(classes.c.id == bindparam("cid")).values(
                capacity=bindparam("cap")), [{"cid": r["class_id"], "cap": r["capacity"]} for r in latest])

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

    def attendance_many(self, rows: Sequence[dict[str, Any]]) -> None:
        """Many ``attendance`` calls: rows of learner_id, day, lesson, class_id, org_id, category."""
        upsert_rows(self.session, attendance, last_per_key(rows, ["learner_id", "day", "lesson"]))

    def grades_many(self, rows: Sequence[dict[str, Any]]) -> None:
        """Many ``grade`` calls: rows of learner_id, subject_code, school_year, term, org_id, class_id, grade,
        percent."""
        upsert_rows(self.session, grades, last_per_key(rows, ["learner_id", "subject_code", "school_year", "term"]))

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

    def hires(self, rows: Sequence[dict[str, Any]]) -> None:
        """Many ``appointment`` calls that all carry the staff member's sex (``StaffHired``): rows of id, staff_id,
        org_id, position_kind, fte_percent, start, sex."""
        upsert_rows(self.session, appointments, [{**r, "end": None} for r in last_per_key(rows, ["id"])])

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

    def teach_many(self, rows: Sequence[dict[str, Any]]) -> None:
        """Many ``teach`` calls: rows of id, staff_id, class_id, org_id, subject_code, weekly_hours, start,
        last_day."""
        upsert_rows(self.session, teaching, last_per_key(rows, ["id"]))

    def unteach(self, assignment_id: str, last_day: date) -> None:
        self.session.execute(update(teaching).where(teaching.c.id == assignment_id).values(last_day=last_day))
