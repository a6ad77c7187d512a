"""hr's copy of education's directory: organisations (with their aimag), classes and their curriculum.

Written by the consumer of education's events (and by ``PUT /api/hr/v1/directory/...``); read by access checks
(an officer's area), assignments (a class's school) and gaps (a class's curriculum).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any

from sqlalchemy import Table, delete, insert, select, update
from sqlalchemy.orm import Session

from hr.adapters.orm import class_subjects, classes, curriculum_hours, orgs, subjects
from hr.adapters.repository import DirectoryRepository
from hr.domain.directory import ClassInfo, OrgInfo

AREA_KINDS = frozenset({"aimag", "district"})  # units whose code is the NSO code events are routed by
MAX_DEPTH = 8


class SqlDirectoryRepository(DirectoryRepository):
    def __init__(self, session: Session) -> None:
        self.session = session

    def org(self, org_id: str) -> OrgInfo | None:
        row = self._org_row(org_id)
        return OrgInfo(row.org_id, row.name, self._aimag(row), row.kind) if row else None

    def aimag_codes(self, org_ids: Iterable[str]) -> dict[str, str]:
        """``org(id).aimag_code`` of many organisations (those not on record left out), one query per level of the
        hierarchy instead of one per organisation and level (bulk paths announce events of hundreds of schools)."""
        rows: dict[str, Any] = {}

        def fetch(ids: Iterable[str]) -> None:
            wanted = sorted(set(ids) - rows.keys())
            if wanted:
                rows.update((row.org_id, row) for row in self.session.execute(
                    select(orgs).where(orgs.c.org_id.in_(wanted))))

        fetch(org_ids)
        current = {origin: rows[origin] for origin in set(org_ids) if origin in rows}
        codes: dict[str, str] = {}
        for _ in range(MAX_DEPTH):  # as ``_aimag``, level by level for all of them
            climbing = {}
            for origin, row in current.items():
                if row.aimag_code or not row.parent_id:
                    codes[origin] = row.aimag_code
                else:
                    climbing[origin] = row
            fetch(row.parent_id for row in climbing.values())
            current = {}
            for origin, row in climbing.items():
                if row.parent_id in rows:
                    current[origin] = rows[row.parent_id]
                else:
                    codes[origin] = ""
        codes.update((origin, row.aimag_code) for origin, row in current.items())
        return codes

    def area_of(self, org_id: str) -> frozenset[str]:
        """The aimag codes an officer of ``org_id`` oversees (the capital: every district under it)."""
        row = self._org_row(org_id)
        if row is None:
            return frozenset()
        if row.kind == "capital":
            children = select(orgs.c.aimag_code).where(orgs.c.parent_id == org_id, orgs.c.kind == "district")
            return frozenset(c for c in self.session.execute(children).scalars() if c)
        code = self._aimag(row)
        return frozenset({code}) if code else frozenset()

    def class_info(self, class_id: str) -> ClassInfo | None:
        found = self._classes(select(classes).where(classes.c.class_id == class_id))
        return found[0] if found else None

    def classes_of_org(self, org_id: str, school_year: str) -> list[ClassInfo]:
        return self._classes(select(classes).where(classes.c.org_id == org_id, classes.c.school_year == school_year)
                             .order_by(classes.c.grade, classes.c.name))

    def save_org(self, org: OrgInfo) -> None:
        self._upsert(orgs, {"org_id": org.org_id}, {"name": org.name, "aimag_code": org.aimag_code, "kind": org.kind})

    def save_class(self, info: ClassInfo) -> None:
        self._upsert(classes, {"class_id": info.class_id}, {"org_id": info.org_id, "school_year": info.school_year,
                                                            "name": info.name, "grade": info.grade})
        self.session.execute(delete(class_subjects).where(class_subjects.c.class_id == info.class_id))
        rows = [{"class_id": info.class_id, "subject_code": code, "weekly_hours": hours}
                for code, hours in sorted(info.subject_hours.items())]
        if rows:
            self.session.execute(insert(class_subjects), rows)

    # ---------------------------------------------------------------- projection of education's events

    def save_unit(self, org_id: str, *, name: str, kind: str, code: str, parent_id: str | None) -> None:
        values = {"name": name, "kind": kind, "code": code, "parent_id": parent_id or None}
        if kind in AREA_KINDS:
            values["aimag_code"] = code
        self._upsert(orgs, {"org_id": org_id}, values, defaults={"aimag_code": ""})

    def move_unit(self, org_id: str, parent_id: str) -> None:
        self._upsert(orgs, {"org_id": org_id}, {"parent_id": parent_id}, defaults=_placeholder())

    def close_unit(self, org_id: str, on: date) -> None:
        self._upsert(orgs, {"org_id": org_id}, {"closed_on": on}, defaults=_placeholder())

    def note_school(self, org_id: str, aimag_code: str) -> None:
        """A school named by a class event: known at least with its aimag until its own event arrives."""
        row = self._org_row(org_id)
        if row is None:
            self._upsert(orgs, {"org_id": org_id}, {"aimag_code": aimag_code}, defaults=_placeholder())
        elif not row.aimag_code and aimag_code:
            self.session.execute(update(orgs).where(orgs.c.org_id == org_id).values(aimag_code=aimag_code))

    def open_class(self, class_id: str, *, org_id: str, school_year: str, level: str, letter: str) -> None:
        grade = int(level) if level.isdigit() else 0
        self._upsert(classes, {"class_id": class_id}, {"org_id": org_id, "school_year": school_year,
                                                       "name": f"{level}{letter}", "grade": grade, "level": level})

    def save_subject(self, subject_id: str, code: str) -> None:
        self._upsert(subjects, {"subject_id": subject_id}, {"code": code})

    def set_hours(self, subject_id: str, school_year: str, level: str, hours: int) -> None:
        key = {"subject_id": subject_id, "school_year": school_year, "level": level}
        if hours > 0:
            self._upsert(curriculum_hours, key, {"hours": hours})
        else:
            self.session.execute(delete(curriculum_hours).filter_by(**key))

    # ---------------------------------------------------------------- helpers

    def _org_row(self, org_id: str) -> Any:
        return self.session.execute(select(orgs).where(orgs.c.org_id == org_id)).first()

    def _aimag(self, row: Any) -> str:
        for _ in range(MAX_DEPTH):
            if row.aimag_code or not row.parent_id:
                return row.aimag_code
            parent = self._org_row(row.parent_id)
            if parent is None:
                return ""
            row = parent
        return row.aimag_code

    def _classes(self, stmt: Any) -> list[ClassInfo]:
        rows = self.session.execute(stmt).all()
        return [ClassInfo(r.class_id, r.org_id, r.school_year, r.name, r.grade, self._hours(r)) for r in rows]

    def _hours(self, row: Any) -> dict[str, int]:
        """The curriculum of the class's year and level, overridden by hours set for the class itself."""
        planned = select(subjects.c.code, curriculum_hours.c.hours).join(
            curriculum_hours, curriculum_hours.c.subject_id == subjects.c.subject_id).where(
            curriculum_hours.c.school_year == row.school_year, curriculum_hours.c.level == row.level)
        hours = {code: h for code, h in self.session.execute(planned)} if row.level else {}
        own = select(class_subjects.c.subject_code, class_subjects.c.weekly_hours).where(
            class_subjects.c.class_id == row.class_id)
        hours.update({code: h for code, h in self.session.execute(own)})
        return hours

    def _upsert(self, table: Table, key: dict[str, Any], values: dict[str, Any],
                defaults: dict[str, Any] | None = None) -> None:
        where = [table.c[name] == value for name, value in key.items()]
        if self.session.execute(select(*table.primary_key.columns).where(*where)).first() is None:
            self.session.execute(insert(table).values({**(defaults or {}), **values, **key}))
        else:
            self.session.execute(update(table).where(*where).values(**values))


def _placeholder() -> dict[str, Any]:
    return {"name": "", "kind": "school", "aimag_code": ""}
