"""hr's facts about staff that identity keeps (tables ``staff_accounts``, ``staff_appointments``,
``teaching_assignments``): enough to answer "which organisations and classes does this account reach"."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Table, and_, insert, select, union, update
from sqlalchemy.orm import Session

from identity.adapters.orm import staff_accounts, staff_appointments, teaching_assignments


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
