"""hr's facts about staff that identity keeps (tables ``staff_accounts``, ``staff_appointments``,
``teaching_assignments``): enough to answer "which organisations and classes does this account reach"."""

from __future__ import annotations

from collections.abc import Iterable

from esis_shared.db import insert_rows
from sqlalchemy import Table, and_, bindparam, insert, literal_column, select, union, union_all, update
from sqlalchemy.orm import Session

from identity.adapters.orm import staff_accounts, staff_appointments, teaching_assignments
from identity.adapters.repository import matching


class SqlStaffFacts:
    def __init__(self, session: Session) -> None:
        self.session = session

    def link(self, staff_id: str, account_id: str) -> str | None:
        """Record that ``staff_id`` signs in as ``account_id``; returns the account linked before, if another."""
        previous = self.account_of(staff_id)
        if previous is None:
            self.session.execute(insert(staff_accounts).values(staff_id=staff_id, account_id=account_id))
        elif previous != account_id:
            self.session.execute(update(staff_accounts).where(staff_accounts.c.staff_id == staff_id)
                                 .values(account_id=account_id))
        return previous if previous != account_id else None

    def account_of(self, staff_id: str) -> str | None:
        stmt = select(staff_accounts.c.account_id).where(staff_accounts.c.staff_id == staff_id)
        return self.session.execute(stmt).scalar_one_or_none()

    def appoint(self, appointment_id: str, staff_id: str, org_id: str) -> None:
        self._add(staff_appointments, "appointment_id", appointment_id, staff_id=staff_id, org_id=org_id)

    def end_appointments(self, appointment_ids: Iterable[str]) -> None:
        ids = sorted(set(appointment_ids))
        if ids:
            self.session.execute(update(staff_appointments).where(staff_appointments.c.appointment_id.in_(ids))
                                 .values(ended=True))

    def assign(self, assignment_id: str, staff_id: str, class_id: str, org_id: str, *, ended: bool = False) -> None:
        self._add(teaching_assignments, "assignment_id", assignment_id, staff_id=staff_id, class_id=class_id,
                  org_id=org_id, ended=ended)

    def end_assignment(self, assignment_id: str, staff_id: str, class_id: str, org_id: str) -> None:
        """Ends it; an "unassigned" seen before its "assigned" leaves an ended row the later one cannot revive."""
        self.assign(assignment_id, staff_id, class_id, org_id, ended=True)
        self.session.execute(update(teaching_assignments)
                             .where(teaching_assignments.c.assignment_id == assignment_id).values(ended=True))

    def reach_of(self, account_id: str) -> tuple[frozenset[str], frozenset[str]]:
        """(org ids, class ids) of the staff linked to the account: open appointments and the orgs and classes
        of running teaching assignments."""
        linked = select(staff_accounts.c.staff_id).where(staff_accounts.c.account_id == account_id)
        running = and_(teaching_assignments.c.staff_id.in_(linked), teaching_assignments.c.ended.is_(False))
        orgs = union(
            select(staff_appointments.c.org_id).where(staff_appointments.c.staff_id.in_(linked),
                                                      staff_appointments.c.ended.is_(False)),
            select(teaching_assignments.c.org_id).where(running))
        classes = select(teaching_assignments.c.class_id).where(running)
        return (frozenset(self.session.execute(orgs).scalars()),
                frozenset(self.session.execute(classes).scalars()))

    def _add(self, table: Table, key: str, key_value: str, **values: object) -> None:
        """Insert once: a fact seen again (another event about the same row) keeps what is recorded."""
        found = self.session.execute(select(table.c[key]).where(table.c[key] == key_value)).first()
        if found is None:
            self.session.execute(insert(table).values({key: key_value, "ended": False, **values}))



class _OnceRows:
    """Rows of ``staff_appointments`` or ``teaching_assignments`` a run of facts touches, kept in memory with
    ``SqlStaffFacts``'s rules (inserted once, ``ended`` only ever set) and written back by ``flush``."""

    def __init__(self, table: Table, key: str) -> None:
        self.table, self.key = table, key
        self.rows: dict[str, dict[str, object]] = {}
        self.new: set[str] = set()
        self.ended: set[str] = set()  # stored rows this run ended

    def load(self, session: Session, ids: Iterable[str]) -> None:
        for condition in matching(session, self.table.c[self.key], (i for i in ids if i not in self.rows)):
            for row in session.execute(select(self.table).where(condition)).mappings():
                self.rows[row[self.key]] = dict(row)

    def add(self, key_value: str, *, ended: bool = False, **values: object) -> None:
        if key_value not in self.rows:
            self.rows[key_value] = {self.key: key_value, "ended": ended, **values}
            self.new.add(key_value)

    def end(self, key_values: Iterable[str]) -> None:
        for key_value in key_values:
            row = self.rows.get(key_value)
            if row is not None and not row["ended"]:
                row["ended"] = True
                if key_value not in self.new:
                    self.ended.add(key_value)

    def flush(self, session: Session) -> None:
        insert_rows(session, self.table, [self.rows[key_value] for key_value in sorted(self.new)])
        for condition in matching(session, self.table.c[self.key], self.ended):
            session.execute(update(self.table).where(condition).values(ended=True))
        self.new.clear()
        self.ended.clear()


class BatchStaffFacts:
    """``SqlStaffFacts`` for a run of consumed events: the rows the run touches are read once (``load``), the
    facts are applied in memory in their order with the same rules, and ``flush`` writes them with a few
    statements; ``reach_of_many`` then answers for all the accounts concerned at once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._links: dict[str, str | None] = {}  # staff id → account id (None: not linked)
        self._changed_links: set[str] = set()
        self._new_links: set[str] = set()
        self._appointments = _OnceRows(staff_appointments, "appointment_id")
        self._assignments = _OnceRows(teaching_assignments, "assignment_id")

    def load(self, staff_ids: Iterable[str], appointment_ids: Iterable[str], assignment_ids: Iterable[str]) -> None:
        """Read what the run's facts touch: links of its staff, its appointments and teaching assignments."""
        wanted = [staff_id for staff_id in set(staff_ids) if staff_id not in self._links]
        self._links.update(dict.fromkeys(wanted))
        for condition in matching(self.session, staff_accounts.c.staff_id, wanted):
            stmt = select(staff_accounts.c.staff_id, staff_accounts.c.account_id).where(condition)
            self._links.update({staff_id: account_id for staff_id, account_id in self.session.execute(stmt)})
        self._appointments.load(self.session, appointment_ids)
        self._assignments.load(self.session, assignment_ids)

    def link(self, staff_id: str, account_id: str) -> str | None:
        previous = self.account_of(staff_id)
        if previous is None:
            self._new_links.add(staff_id)
        elif previous != account_id and staff_id not in self._new_links:
            self._changed_links.add(staff_id)
        self._links[staff_id] = account_id
        return previous if previous != account_id else None

    def account_of(self, staff_id: str) -> str | None:
        return self._links[staff_id]  # KeyError: the run did not load it (a bug of the caller)

    def appoint(self, appointment_id: str, staff_id: str, org_id: str) -> None:
        self._appointments.add(appointment_id, staff_id=staff_id, org_id=org_id)

    def end_appointments(self, appointment_ids: Iterable[str]) -> None:
        self._appointments.end(appointment_ids)

    def assign(self, assignment_id: str, staff_id: str, class_id: str, org_id: str, *, ended: bool = False) -> None:
        self._assignments.add(assignment_id, staff_id=staff_id, class_id=class_id, org_id=org_id, ended=ended)

    def end_assignment(self, assignment_id: str, staff_id: str, class_id: str, org_id: str) -> None:
        self.assign(assignment_id, staff_id, class_id, org_id, ended=True)
        self._assignments.end([assignment_id])

    def flush(self) -> None:
        """Write the run's facts: new rows in one insert per table, ended and relinked rows in one statement."""
        insert_rows(self.session, staff_accounts, [{"staff_id": staff_id, "account_id": self._links[staff_id]}
                                                   for staff_id in sorted(self._new_links)])
        if self._changed_links:
            stmt = (update(staff_accounts).where(staff_accounts.c.staff_id == bindparam("b_staff"))
                    .values(account_id=bindparam("b_account")))
            self.session.execute(stmt, [{"b_staff": staff_id, "b_account": self._links[staff_id]}
                                        for staff_id in sorted(self._changed_links)])
        self._new_links.clear()
        self._changed_links.clear()
        self._appointments.flush(self.session)
        self._assignments.flush(self.session)

    def reach_of_many(self, account_ids: Iterable[str]) -> dict[str, tuple[frozenset[str], frozenset[str]]]:
        """``SqlStaffFacts.reach_of`` of each account (after ``flush``): one statement (on SQLite per 1,000)."""
        found: dict[str, tuple[set[str], set[str]]] = {}
        for account_id in account_ids:
            found[account_id] = (set(), set())
        for linked in matching(self.session, staff_accounts.c.account_id, found):
            appointed = (select(staff_accounts.c.account_id, literal_column("'org'").label("kind"),
                                staff_appointments.c.org_id.label("scope_id"))
                         .join(staff_appointments, staff_appointments.c.staff_id == staff_accounts.c.staff_id)
                         .where(linked, staff_appointments.c.ended.is_(False)))
            teaching = and_(teaching_assignments.c.staff_id == staff_accounts.c.staff_id,
                            teaching_assignments.c.ended.is_(False))
            taught = teaching_assignments
            taught_orgs = (select(staff_accounts.c.account_id, literal_column("'org'"), taught.c.org_id)
                           .join(taught, teaching).where(linked))
            taught_classes = (select(staff_accounts.c.account_id, literal_column("'class'"), taught.c.class_id)
                              .join(taught, teaching).where(linked))
            for account_id, kind, scope_id in self.session.execute(union_all(appointed, taught_orgs, taught_classes)):
                found[account_id][0 if kind == "org" else 1].add(scope_id)
        return {account_id: (frozenset(orgs), frozenset(classes)) for account_id, (orgs, classes) in found.items()}
