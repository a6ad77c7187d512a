"""Kafka event handlers of identity: hr's staff and teaching facts scope teacher accounts, parent's child links
scope parent accounts (``service_layer.followed_scopes``).

Each handler takes ``(session, message, envelope)`` as ``esis_shared.consumer`` expects and works in the
consumer's transaction, which also records the event as processed: a redelivered event changes nothing twice,
and a changed account's ``AccountScopesChanged`` is staged in the outbox in the same commit.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from esis.hr.v1 import hr_events_pb2 as hr
from esis.parent.v1 import parent_events_pb2 as parent
from esis_shared.consumer import Handler
from sqlalchemy.orm import Session

from identity.service_layer import commands
from identity.service_layer.followed_scopes import follow_child_link, follow_staff
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


def build_handlers(clock: Clock = _utc_now) -> dict[str, Handler]:
    """Handlers keyed by protobuf full name; ``clock`` stamps the ``AccountScopesChanged`` events."""

    def on_staff(session: Session, message: Any, _: object) -> None:
        now = clock()
        follow_staff(staff_fact(message, now.date()), EventUnitOfWork(session), now)

    def on_child(session: Session, message: Any, _: object) -> None:
        linked = isinstance(message, parent.ChildLinked)
        follow_child_link(commands.FollowChildLink(message.account_id, message.learner_id, linked),
                          EventUnitOfWork(session), clock())

    staff_messages = (hr.StaffAccountLinked, hr.StaffHired, hr.StaffMoved, hr.StaffExited, hr.TeachingAssigned,
                      hr.TeachingUnassigned)
    handlers: dict[str, Handler] = {m.DESCRIPTOR.full_name: on_staff for m in staff_messages}
    handlers.update({m.DESCRIPTOR.full_name: on_child for m in (parent.ChildLinked, parent.ChildUnlinked)})
    return handlers


HANDLERS: dict[str, Handler] = build_handlers()
