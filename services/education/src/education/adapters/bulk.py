"""The bulk paths' store on SQL: one query per question for a whole request, one COPY per table to write.

Rows are built by the repositories' own aggregate → row mapping, events by the outbox stager's message mapping
(``adapters.messages``), so a bulk-loaded learner is stored and announced exactly like one registered alone. The
request's events are staged in runs of one type (``grouped_by_type``: every key's events keep their order), so a
consumer's batch handler takes thousands at once instead of runs of one.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from esis_shared.db import insert_rows
from esis_shared.outbox import OutgoingEvent, grouped_by_type, stage_events
from sqlalchemy import ColumnElement, String, Table, any_, bindparam, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from education.adapters import orm
from education.adapters.messages import SOURCE, AimagResolver, key_of, to_message, topic_of
from education.adapters.repository import (
    SqlClasses,
    SqlGuardians,
    SqlLearners,
    SqlOrgUnits,
    enrolment_row,
    table_row,
)
from education.domain.classes import SchoolClass
from education.domain.guardians import Guardian
from education.domain.learners import Learner
from education.domain.org import OrgUnit
from education.service_layer.bulk import BulkStore

CHUNK = 1000  # ids per IN (…) list
_TABLES: dict[str, Table] = {"org_units": orm.org_units, "classes": orm.classes, "learners": orm.learners,
                             "guardians": orm.guardians}


def _chunks(items: Iterable[str], size: int = CHUNK) -> Iterator[list[str]]:
    ordered = sorted(set(items))
    for start in range(0, len(ordered), size):
        yield ordered[start:start + size]


def _among(session: Session, column: ColumnElement[Any], values: Iterable[str]) -> Iterator[ColumnElement[bool]]:
    """``column`` is one of ``values``: one ``= ANY(array)`` parameter on PostgreSQL (an IN list of thousands of
    parameters costs more to build than to run), IN lists of ``CHUNK`` elsewhere."""
    if session.get_bind().dialect.name == "postgresql":
        wanted = sorted(set(values))
        if wanted:
            yield column == any_(bindparam("among", wanted, type_=ARRAY(String)))
        return
    for chunk in _chunks(values):
        yield column.in_(chunk)


class SqlBulkStore(BulkStore):
    def __init__(self, session: Session, today: date) -> None:
        self.session, self.today = session, today

    def existing_ids(self, kind: str, ids: Iterable[str]) -> set[str]:
        table = _TABLES[kind]
        return {i for where in _among(self.session, table.c.id, ids)
                for i in self.session.scalars(select(table.c.id).where(where))}

    def existing_org_codes(self, codes: Iterable[str]) -> set[str]:
        c = orm.org_units.c
        return {x for where in _among(self.session, c.code, codes) for x in self.session.scalars(select(c.code).where(
            where))}

    def org_units(self, ids: Iterable[str]) -> dict[str, OrgUnit]:
        repo = SqlOrgUnits(self.session)
        return {u.id: u for where in _among(self.session, orm.org_units.c.id, ids) for u in repo._select(where)}

    def school_year_ids(self) -> set[str]:
        return set(self.session.scalars(select(orm.school_years.c.id)))

    def class_names(self, school_ids: Iterable[str]) -> set[tuple[str, str, str]]:
        repo = SqlClasses(self.session)
        return {(c.school_id, c.year_id, c.name) for where in _among(self.session, orm.classes.c.school_id, school_ids)
                for c in repo._select(where)}

    def classes(self, ids: Iterable[str]) -> dict[str, SchoolClass]:
        repo = SqlClasses(self.session)
        return {c.id: c for where in _among(self.session, orm.classes.c.id, ids) for c in repo._select(where)}

    def enrolled_counts(self, class_ids: Iterable[str], on: date) -> dict[str, int]:
        repo = SqlLearners(self.session)
        return {k: v for chunk in _chunks(class_ids) for k, v in repo.counts_by_class(chunk, on).items()}

    def taken_register_numbers(self, numbers: Iterable[str]) -> set[str]:
        c = orm.learners.c
        return {x for where in _among(self.session, c.register_number, numbers)
                for x in self.session.scalars(select(c.register_number).where(where))}

    def guardians(self, ids: Iterable[str]) -> dict[str, Guardian]:
        repo = SqlGuardians(self.session)
        return {g.id: g for where in _among(self.session, orm.guardians.c.id, ids) for g in repo._select(where)}

    def write(self, *, org_units: Sequence[OrgUnit] = (), classes: Sequence[SchoolClass] = (),
              guardians: Sequence[Guardian] = (), learners: Sequence[Learner] = ()) -> None:
        insert_rows(self.session, orm.org_units, [table_row(orm.org_units, u) for u in org_units])
        insert_rows(self.session, orm.org_links, [{"unit_id": u.id, "parent_id": link.parent_id,
                                                   "valid_from": link.valid_from, "valid_to": link.valid_to}
                                                  for u in org_units for link in u.links])
        insert_rows(self.session, orm.classes, [table_row(orm.classes, c) for c in classes])
        insert_rows(self.session, orm.guardians, [table_row(orm.guardians, g) for g in guardians])
        insert_rows(self.session, orm.learners, [table_row(orm.learners, x) for x in learners])
        insert_rows(self.session, orm.enrolments, [enrolment_row(x.id, e) for x in learners for e in x.enrolments])
        aggregates: list[Any] = [*org_units, *classes, *guardians, *learners]
        aimag_of = AimagResolver(self.session, self.today)  # reads the rows written above, in this transaction
        aimag_of.preload(getattr(event, name) for item in aggregates for event in item.events
                         for name in ("org_id", "school_id") if hasattr(event, name))
        at = datetime.now(UTC)  # one instant for the request's events (the per-item path's is its commit's)
        stage_events(self.session, grouped_by_type([  # runs of one type for consumers' batch handlers
            OutgoingEvent(topic_of(event), key_of(event), to_message(event, aimag_of, at), event.aggregate_id,
                          aimag_of(event.org_id) or None)
            for item in aggregates for event in item.events]), source=SOURCE)
        for item in aggregates:
            item.events.clear()
            item.changed = False
