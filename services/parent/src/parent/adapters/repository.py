"""SQL repositories for guardians, links, claims, children, schools, preferences and receipts."""

from __future__ import annotations

from datetime import datetime, time

from esis_shared.db import upsert_rows
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from parent.adapters import orm
from parent.adapters.sql import row_dict, upsert, utc
from parent.domain.guardians import ChildLink, ClaimHistory, Guardian
from parent.domain.notifications import Preferences, TypeSetting
from parent.domain.receipts import Receipt
from parent.domain.school import Child, ClassInfo, Lesson, SchoolInfo


class _Repo:
    def __init__(self, session: Session) -> None:
        self.s = session


class SqlGuardians(_Repo):
    def get(self, account_id: str) -> Guardian | None:
        row = self.s.execute(select(orm.guardians).where(orm.guardians.c.account_id == account_id)).first()
        return Guardian(**row_dict(row)) if row else None

    def save(self, guardian: Guardian) -> None:
        upsert(self.s, orm.guardians, vars(guardian).copy())


def _link(row: object) -> ChildLink:
    values = row_dict(row)
    values["linked_at"] = utc(values["linked_at"])
    return ChildLink(**values)


class SqlLinks(_Repo):
    def for_account(self, account_id: str) -> list[ChildLink]:
        t = orm.child_links
        return [_link(r) for r in self.s.execute(select(t).where(t.c.account_id == account_id)
                                                 .order_by(t.c.linked_at, t.c.learner_id))]

    def for_learner(self, learner_id: str) -> list[ChildLink]:
        t = orm.child_links
        return [_link(r) for r in self.s.execute(select(t).where(t.c.learner_id == learner_id)
                                                 .order_by(t.c.account_id))]

    def get(self, account_id: str, learner_id: str) -> ChildLink | None:
        t = orm.child_links
        row = self.s.execute(select(t).where(t.c.account_id == account_id, t.c.learner_id == learner_id)).first()
        return _link(row) if row else None

    def add(self, link: ChildLink) -> None:
        upsert(self.s, orm.child_links, vars(link).copy())

    def remove(self, account_id: str, learner_id: str) -> None:
        t = orm.child_links
        self.s.execute(delete(t).where(t.c.account_id == account_id, t.c.learner_id == learner_id))


class SqlClaims(_Repo):
    def get(self, account_id: str) -> ClaimHistory:
        t = orm.claim_history
        row = self.s.execute(select(t).where(t.c.account_id == account_id)).first()
        if row is None:
            return ClaimHistory(account_id)
        failures = [datetime.fromisoformat(x) for x in row.failures]
        return ClaimHistory(account_id, failures, utc(row.locked_until))

    def save(self, history: ClaimHistory) -> None:
        upsert(self.s, orm.claim_history, {"account_id": history.account_id, "locked_until": history.locked_until,
                                           "failures": [x.isoformat() for x in history.failures]})


class SqlChildren(_Repo):
    def get(self, learner_id: str) -> Child | None:
        row = self.s.execute(select(orm.children).where(orm.children.c.learner_id == learner_id)).first()
        return Child(**row_dict(row)) if row else None

    def save(self, child: Child) -> None:
        upsert_rows(self.s, orm.children, [vars(child).copy()])  # one statement: safe beside the consumer saving it too

    def in_class(self, class_id: str) -> list[Child]:
        rows = self.s.execute(select(orm.children).where(orm.children.c.class_id == class_id))
        return [Child(**row_dict(r)) for r in rows]


class SqlSchools(_Repo):
    def class_info(self, class_id: str) -> ClassInfo | None:
        row = self.s.execute(select(orm.classes).where(orm.classes.c.class_id == class_id)).first()
        return ClassInfo(**row_dict(row)) if row else None

    def save_class(self, info: ClassInfo) -> None:
        upsert_rows(self.s, orm.classes, [vars(info).copy()])

    def school(self, school_id: str) -> SchoolInfo | None:
        row = self.s.execute(select(orm.schools).where(orm.schools.c.school_id == school_id)).first()
        return SchoolInfo(**row_dict(row)) if row else None

    def save_school(self, info: SchoolInfo) -> None:
        upsert_rows(self.s, orm.schools, [vars(info).copy()])

    def timetable(self, class_id: str) -> list[Lesson]:
        t = orm.timetable_lessons
        rows = self.s.execute(select(t).where(t.c.class_id == class_id).order_by(t.c.weekday, t.c.period))
        return [Lesson(r.weekday, r.period, r.subject_code, r.room) for r in rows]

    def save_timetable(self, class_id: str, lessons: list[Lesson]) -> None:
        t = orm.timetable_lessons
        self.s.execute(delete(t).where(t.c.class_id == class_id))
        for lesson in lessons:
            upsert(self.s, t, {"class_id": class_id, **vars(lesson)})


def _hhmm(value: time | None) -> str | None:
    return value.strftime("%H:%M") if value else None


def _time(value: str | None) -> time | None:
    return time.fromisoformat(value) if value else None


class SqlPreferences(_Repo):
    def get(self, account_id: str) -> Preferences:
        row = self.s.execute(select(orm.preferences).where(orm.preferences.c.account_id == account_id)).first()
        if row is None:
            return Preferences(account_id)
        types = {k: TypeSetting(**v) for k, v in row.types.items()}
        return Preferences(account_id, tuple(row.channels), _time(row.quiet_start), _time(row.quiet_end),
                           _time(row.digest_at) or time(19, 0), types)

    def save(self, preferences: Preferences) -> None:
        p = preferences
        upsert(self.s, orm.preferences, {
            "account_id": p.account_id, "channels": list(p.channels), "quiet_start": _hhmm(p.quiet_start),
            "quiet_end": _hhmm(p.quiet_end), "digest_at": _hhmm(p.digest_at),
            "types": {k: {"enabled": v.enabled, "digest": v.digest} for k, v in p.types.items()}})


class SqlReceipts(_Repo):
    def save(self, receipt: Receipt) -> None:
        t = orm.receipts
        current = self.s.execute(select(t.c.updated_at).where(t.c.key == receipt.key)).scalar()
        if current is None or utc(current) <= receipt.updated_at:
            upsert(self.s, t, vars(receipt).copy())

    def for_account(self, account_id: str, limit: int = 50) -> list[Receipt]:
        t = orm.receipts
        rows = self.s.execute(select(t).where(t.c.account_id == account_id).order_by(t.c.updated_at.desc())
                              .limit(limit))
        return [Receipt(**{**row_dict(r), "updated_at": utc(r.updated_at)}) for r in rows]
