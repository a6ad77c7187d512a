"""Scopes kept in step with other services' facts, applied in the event consumer's transaction.

* Teachers (hr): a teacher account linked to a staff record reaches exactly the organisations the person is
  appointed at and the classes they teach, as hr last said; what an administrator set before is replaced.
  Facts are applied when they arrive (an assignment or exit recorded ahead of its date acts at once).
* Parents (parent): a parent account reaches the learners linked to it.

Accounts of other roles are left alone: hr may link a director's school_admin account, which hr does not scope.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Protocol

from identity.adapters.staff_facts import BatchStaffFacts
from identity.domain.model import Account, Role, Scopes
from identity.service_layer.commands import (
    EndAppointments,
    EndTeaching,
    FollowChildLink,
    LinkStaffAccount,
    RecordAppointment,
    RecordTeaching,
    StaffFact,
)
from identity.service_layer.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)


class StaffFactStore(Protocol):
    """Where hr's facts are recorded: ``SqlStaffFacts`` (one fact) or ``BatchStaffFacts`` (a run of them)."""

    def link(self, staff_id: str, account_id: str) -> str | None: ...
    def account_of(self, staff_id: str) -> str | None: ...
    def appoint(self, appointment_id: str, staff_id: str, org_id: str) -> None: ...
    def end_appointments(self, appointment_ids: Iterable[str]) -> None: ...
    def assign(self, assignment_id: str, staff_id: str, class_id: str, org_id: str, *, ended: bool = False) -> None: ...
    def end_assignment(self, assignment_id: str, staff_id: str, class_id: str, org_id: str) -> None: ...


def follow_staff(fact: StaffFact, uow: UnitOfWork, now: datetime) -> None:
    """Record one hr fact, then re-derive the scopes of the accounts it concerns."""
    for account_id in _record(fact, uow.staff):
        account = uow.accounts.get(account_id, for_update=True)
        if _is_teacher(account, account_id):
            _rescope_teacher(account, uow.staff.reach_of(account_id), now)  # type: ignore[arg-type]
    uow.commit()


def follow_staff_facts(facts: Sequence[StaffFact], uow: UnitOfWork, now: datetime) -> None:
    """A run of hr facts, in their order, with the rules of ``follow_staff``: the rows they touch are read once,
    written with a few statements, and each concerned account is re-derived once, from the run's end state (a
    fact's effect on an account is its re-derivation from the facts recorded so far, so the last one decides)."""
    staff = BatchStaffFacts(uow.session)
    staff.load({fact.staff_id for fact in facts}, _ids(facts, "appointment"), _ids(facts, "assignment"))
    concerned: dict[str, None] = {}
    for fact in facts:
        concerned.update(dict.fromkeys(_record(fact, staff)))
    staff.flush()
    if concerned:
        found = uow.accounts.get_many(concerned, for_update=True)
        teachers = [account_id for account_id in concerned if _is_teacher(found.get(account_id), account_id)]
        reach = staff.reach_of_many(teachers)
        for account_id in teachers:
            _rescope_teacher(found[account_id], reach[account_id], now)
    uow.commit()


def _ids(facts: Sequence[StaffFact], kind: str) -> set[str]:
    """The appointment or assignment ids the facts name."""
    found: set[str] = set()
    for fact in facts:
        if kind == "appointment" and isinstance(fact, RecordAppointment):
            found.update(filter(None, (fact.appointment_id, fact.ends_appointment_id)))
        elif kind == "appointment" and isinstance(fact, EndAppointments):
            found.update(fact.appointment_ids)
        elif kind == "assignment" and isinstance(fact, RecordTeaching | EndTeaching):
            found.add(fact.assignment_id)
    return found


def _record(fact: StaffFact, staff: StaffFactStore) -> list[str]:
    """Record the fact; returns the accounts it concerns (linked to the staff member, or unlinked by it)."""
    if isinstance(fact, LinkStaffAccount):
        previous = staff.link(fact.staff_id, fact.account_id)
        return [fact.account_id] + ([previous] if previous else [])
    if isinstance(fact, RecordAppointment):
        if fact.ends_appointment_id:
            staff.end_appointments([fact.ends_appointment_id])
        staff.appoint(fact.appointment_id, fact.staff_id, fact.org_id)
    elif isinstance(fact, EndAppointments):
        staff.end_appointments(fact.appointment_ids)
    elif isinstance(fact, RecordTeaching):
        staff.assign(fact.assignment_id, fact.staff_id, fact.class_id, fact.org_id, ended=fact.ended)
    elif isinstance(fact, EndTeaching):
        staff.end_assignment(fact.assignment_id, fact.staff_id, fact.class_id, fact.org_id)
    else:
        raise TypeError(f"not a staff fact: {type(fact).__name__}")
    account_id = staff.account_of(fact.staff_id)
    return [account_id] if account_id else []


def _is_teacher(account: Account | None, account_id: str) -> bool:
    if account is None:
        log.warning("hr links staff to account %s, which identity does not know", account_id)
        return False
    if account.role is not Role.TEACHER:
        log.info("account %s is a %s, not a teacher: hr's facts do not scope it", account_id, account.role)
        return False
    return True


def _rescope_teacher(account: Account, reach: tuple[frozenset[str], frozenset[str]], now: datetime) -> None:
    org_ids, class_ids = reach
    if account.follow_scopes(now, Scopes(org_ids, class_ids)):
        log.info("teacher account %s now reaches %d orgs and %d classes", account.id, len(org_ids),
                 len(class_ids))


def follow_child_link(fact: FollowChildLink, uow: UnitOfWork, now: datetime) -> None:
    """Add the learner to (or remove it from) the parent account's children."""
    follow_child_links([fact], uow, now)


def follow_child_links(facts: Sequence[FollowChildLink], uow: UnitOfWork, now: datetime) -> None:
    """Child links in their order: the accounts are read once and each changed one is written once."""
    found = uow.accounts.get_many({fact.account_id for fact in facts}, for_update=True)
    children: dict[str, frozenset[str]] = {}
    for fact in facts:
        account = found.get(fact.account_id)
        if account is None or account.role is not Role.PARENT:
            log.warning("parent links learner %s to account %s, which is not a parent account here",
                        fact.learner_id, fact.account_id)
            continue
        had = children.get(account.id, account.scopes.child_ids)
        children[account.id] = had | {fact.learner_id} if fact.linked else had - {fact.learner_id}
    for account_id, child_ids in children.items():
        account = found[account_id]
        account.follow_scopes(now, replace(account.scopes, child_ids=frozenset(child_ids)))
    uow.commit()
