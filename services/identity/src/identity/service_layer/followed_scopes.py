"""Scopes kept in step with other services' facts, applied in the event consumer's transaction.

* Teachers (hr): a teacher account linked to a staff record reaches exactly the organisations the person is
  appointed at and the classes they teach, as hr last said; what an administrator set before is replaced.
  Facts are applied when they arrive (an assignment or exit recorded ahead of its date acts at once).
* Parents (parent): a parent account reaches the learners linked to it.

Accounts of other roles are left alone: hr may link a director's school_admin account, which hr does not scope.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import datetime

from identity.domain.model import Role, Scopes
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


def follow_staff(fact: StaffFact, uow: UnitOfWork, now: datetime) -> None:
    """Record one hr fact, then re-derive the scopes of the accounts it concerns."""
    if isinstance(fact, LinkStaffAccount):
        previous = uow.staff.link(fact.staff_id, fact.account_id)
        concerned = [fact.account_id] + ([previous] if previous else [])
    else:
        _record(fact, uow)
        account_id = uow.staff.account_of(fact.staff_id)
        concerned = [account_id] if account_id else []
    for account_id in concerned:
        _rescope_teacher(uow, account_id, now)
    uow.commit()


def _record(fact: StaffFact, uow: UnitOfWork) -> None:
    if isinstance(fact, RecordAppointment):
        if fact.ends_appointment_id:
            uow.staff.end_appointments([fact.ends_appointment_id])
        uow.staff.appoint(fact.appointment_id, fact.staff_id, fact.org_id)
    elif isinstance(fact, EndAppointments):
        uow.staff.end_appointments(fact.appointment_ids)
    elif isinstance(fact, RecordTeaching):
        uow.staff.assign(fact.assignment_id, fact.staff_id, fact.class_id, fact.org_id, ended=fact.ended)
    elif isinstance(fact, EndTeaching):
        uow.staff.end_assignment(fact.assignment_id, fact.staff_id, fact.class_id, fact.org_id)
    else:
        raise TypeError(f"not a staff fact: {type(fact).__name__}")


def _rescope_teacher(uow: UnitOfWork, account_id: str, now: datetime) -> None:
    account = uow.accounts.get(account_id, for_update=True)
    if account is None:
        log.warning("hr links staff to account %s, which identity does not know", account_id)
        return
    if account.role is not Role.TEACHER:
        log.info("account %s is a %s, not a teacher: hr's facts do not scope it", account_id, account.role)
        return
    org_ids, class_ids = uow.staff.reach_of(account_id)
    if account.follow_scopes(now, Scopes(org_ids, class_ids)):
        log.info("teacher account %s now reaches %d orgs and %d classes", account_id, len(org_ids),
                 len(class_ids))


def follow_child_link(fact: FollowChildLink, uow: UnitOfWork, now: datetime) -> None:
    """Add the learner to (or remove it from) the parent account's children."""
    account = uow.accounts.get(fact.account_id, for_update=True)
    if account is None or account.role is not Role.PARENT:
        log.warning("parent links learner %s to account %s, which is not a parent account here", fact.learner_id,
                    fact.account_id)
        return
    children = account.scopes.child_ids
    children = children | {fact.learner_id} if fact.linked else children - {fact.learner_id}
    account.follow_scopes(now, replace(account.scopes, child_ids=frozenset(children)))
    uow.commit()
