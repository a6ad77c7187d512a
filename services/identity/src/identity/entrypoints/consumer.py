"""Kafka event handlers of identity: hr's staff and teaching facts scope teacher accounts, parent's child links
scope parent accounts (``service_layer.followed_scopes``).

Each handler takes ``(session, message, envelope)`` as ``esis_shared.consumer`` expects and works in the
consumer's transaction, which also records the event as processed: a redelivered event changes nothing twice,
and a changed account's ``AccountScopesChanged`` is staged in the outbox in the same commit.

The consumer runs the batch handlers (``build_batch_handlers``): a run of consecutive hr facts (a whole country's
teaching assignments at the start of a school year) is applied with the same rules to the rows it touches, read
once, and written with a few statements; each account it concerns is re-derived once, from the run's end state,
so it gets one ``AccountScopesChanged`` (with its final scopes) per run instead of one per fact. Child links
likewise. ``build_handlers`` are the same projections one event at a time.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from esis.hr.v1 import hr_events_pb2 as hr
from esis.parent.v1 import parent_events_pb2 as parent
from esis_shared.consumer import BatchHandler, Handler
from esis_shared.kafka import Envelope
from sqlalchemy.orm import Session

from identity.service_layer import commands
from identity.service_layer.followed_scopes import (
    follow_child_link,
    follow_child_links,
    follow_staff,
    follow_staff_facts,
)
from identity.service_layer.unit_of_work import EventUnitOfWork

GROUP_ID = "identity"
TOPICS: tuple[str, ...] = ("hr.staff.v1", "hr.assignments.v1", "parent.guardians.v1")
Clock = Callable[[], datetime]


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _ended_before(last_day: Any, today: date) -> bool:
    """Whether a protobuf ``Date`` (unset: open-ended) lies before ``today``."""
    return bool(last_day.year) and date(last_day.year, last_day.month, last_day.day) < today


def staff_fact(message: Any, today: date) -> commands.StaffFact:
    """The hr message as the fact identity records."""
    if isinstance(message, hr.StaffAccountLinked):
        return commands.LinkStaffAccount(message.staff_id, message.account_id)
    if isinstance(message, hr.StaffHired):
        return commands.RecordAppointment(message.staff_id, message.appointment_id, message.org_id)
    if isinstance(message, hr.StaffMoved):
        return commands.RecordAppointment(message.staff_id, message.to_appointment_id, message.to_org_id,
                                          ends_appointment_id=message.from_appointment_id)
    if isinstance(message, hr.StaffExited):
        return commands.EndAppointments(message.staff_id, tuple(message.appointment_ids))
    if isinstance(message, hr.TeachingAssigned):
        return commands.RecordTeaching(message.assignment_id, message.staff_id, message.class_id, message.org_id,
                                       ended=_ended_before(message.last_day, today))
    if isinstance(message, hr.TeachingUnassigned):
        return commands.EndTeaching(message.assignment_id, message.staff_id, message.class_id, message.org_id)
    raise TypeError(f"identity does not follow {message.DESCRIPTOR.full_name}")


STAFF_MESSAGES = (hr.StaffAccountLinked, hr.StaffHired, hr.StaffMoved, hr.StaffExited, hr.TeachingAssigned,
                  hr.TeachingUnassigned)
CHILD_MESSAGES = (parent.ChildLinked, parent.ChildUnlinked)


def _child_link(message: Any) -> commands.FollowChildLink:
    return commands.FollowChildLink(message.account_id, message.learner_id, isinstance(message, parent.ChildLinked))


def build_handlers(clock: Clock = _utc_now) -> dict[str, Handler]:
    """Handlers keyed by protobuf full name; ``clock`` stamps the ``AccountScopesChanged`` events."""

    def on_staff(session: Session, message: Any, _: object) -> None:
        now = clock()
        follow_staff(staff_fact(message, now.date()), EventUnitOfWork(session), now)

    def on_child(session: Session, message: Any, _: object) -> None:
        follow_child_link(_child_link(message), EventUnitOfWork(session), clock())

    handlers: dict[str, Handler] = {m.DESCRIPTOR.full_name: on_staff for m in STAFF_MESSAGES}
    handlers.update({m.DESCRIPTOR.full_name: on_child for m in CHILD_MESSAGES})
    return handlers


def build_batch_handlers(clock: Clock = _utc_now) -> dict[str, BatchHandler]:
    """Batch handlers of the same types: one function per topic's types, so a run of records is not cut."""

    def on_staff(session: Session, pairs: Sequence[tuple[Any, Envelope]]) -> None:
        now = clock()
        follow_staff_facts([staff_fact(message, now.date()) for message, _ in pairs], EventUnitOfWork(session), now)

    def on_children(session: Session, pairs: Sequence[tuple[Any, Envelope]]) -> None:
        follow_child_links([_child_link(message) for message, _ in pairs], EventUnitOfWork(session), clock())

    handlers: dict[str, BatchHandler] = {m.DESCRIPTOR.full_name: on_staff for m in STAFF_MESSAGES}
    handlers.update({m.DESCRIPTOR.full_name: on_children for m in CHILD_MESSAGES})
    return handlers


HANDLERS: dict[str, Handler] = build_handlers()
