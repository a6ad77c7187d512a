"""Domain events → protobuf messages (esis.education.v1) staged in the outbox, with the ``aimag`` header.

Message fields are filled by name from the event: ``school`` / ``from_school`` / ``to_school`` (OrgRef) from
``*_id`` attributes, dates as ``esis.common.v1.Date``, enums from lower-case codes (``"male"`` →
``SEX_MALE``), ``occurred_at`` from the clock. A domain field without a message field stays in the service.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from esis.common.v1 import common_pb2
from esis.education.v1 import education_events_pb2 as pb
from esis_shared.outbox import stage_event
from google.protobuf.descriptor import FieldDescriptor
from google.protobuf.message import Message
from sqlalchemy import select
from sqlalchemy.orm import Session

from education.adapters import orm
from education.domain import events

SOURCE = "education"
TOPICS = {
    "education.org.v1": (events.OrgUnitCreated, events.OrgUnitMoved, events.OrgUnitClosed, events.CatchmentChanged),
    "education.classes.v1": (events.SchoolYearDefined, events.SubjectDefined, events.WeeklyHoursSet,
                             events.ClassOpened, events.ClassChanged, events.TimetablePublished),
    "education.learners.v1": (events.LearnerRegistered, events.GuardianLinked, events.GuardianLinkVerified,
                              events.GuardianLinkRevoked),
    "education.enrolments.v1": (events.LearnerEnrolled, events.LearnerMovedClass, events.LearnerWithdrawn,
                                events.AdmissionApplied, events.AdmissionDecided),
    "education.transfers.v1": (events.TransferRequested, events.TransferReleased, events.TransferApproved,
                               events.TransferRejected, events.TransferCancelled, events.TransferEscalated),
}
TOPIC_OF = {cls: topic for topic, classes in TOPICS.items() for cls in classes}
AimagOf = Callable[[str | None], str]


def topic_of(event: events.Event) -> str:
    return TOPIC_OF[type(event)]


def key_of(event: events.Event) -> str:
    """Per-learner order on the learner and enrolment topics, per aggregate elsewhere."""
    learner_id = getattr(event, "learner_id", None)
    return learner_id if topic_of(event) in ("education.learners.v1", "education.enrolments.v1") else (
        event.aggregate_id)


def to_message(event: events.Event, aimag_of: AimagOf, at: datetime | None = None) -> Message:
    message = getattr(pb, type(event).__name__)()
    for field in message.DESCRIPTOR.fields:
        _fill(message, field, event, aimag_of, at or datetime.now(UTC))
    return message


def _fill(message: Message, field: FieldDescriptor, event: Any, aimag_of: AimagOf, at: datetime) -> None:
    name = field.name
    if name == "occurred_at":
        getattr(message, name).FromDatetime(at)
    elif field.message_type is not None and field.message_type.full_name == "esis.common.v1.OrgRef":
        org_id = getattr(event, f"{name}_id")
        getattr(message, name).CopyFrom(common_pb2.OrgRef(org_id=org_id, aimag_code=aimag_of(org_id)))
    elif field.message_type is not None and field.message_type.full_name == "esis.common.v1.Date":
        day: date | None = getattr(event, name)
        if day is not None:
            getattr(message, name).CopyFrom(common_pb2.Date(year=day.year, month=day.month, day=day.day))
    elif field.enum_type is not None:
        setattr(message, name, _enum_number(field, getattr(event, name)))
    elif field.message_type is not None and _is_repeated(field):  # e.g. a timetable's lessons: plain values
        for item in getattr(event, name):
            added = getattr(message, name).add()
            for sub in added.DESCRIPTOR.fields:
                setattr(added, sub.name, getattr(item, sub.name))
    elif _is_repeated(field):
        getattr(message, name).extend(getattr(event, name))
    else:
        value = getattr(event, name)
        setattr(message, name, value if value is not None else field.default_value)


def _is_repeated(field: FieldDescriptor) -> bool:
    return bool(field.is_repeated)


def _enum_number(field: FieldDescriptor, code: str) -> int:
    prefix = re.sub(r"(?<!^)(?=[A-Z])", "_", field.enum_type.name).upper()
    return field.enum_type.values_by_name[f"{prefix}_{code.upper()}"].number


class AimagResolver:
    """NSO code of the first-level unit above an organisation, as of a date; memoised per transaction."""

    def __init__(self, session: Session, on: date) -> None:
        self.session, self.on = session, on
        self.memo: dict[str, str] = {}

    def __call__(self, org_id: str | None) -> str:
        if not org_id:
            return ""
        if org_id not in self.memo:
            self.memo[org_id] = self._walk(org_id)
        return self.memo[org_id]

    def _walk(self, org_id: str) -> str:
        current: str | None = org_id
        for _ in range(6):
            if current is None:
                return ""
            row = self.session.execute(select(orm.org_units.c.kind, orm.org_units.c.code)
                                       .where(orm.org_units.c.id == current)).one_or_none()
            if row is None:
                return ""
            if row.kind in ("aimag", "capital"):
                return row.code
            current = self._parent(current)
        return ""

    def _parent(self, unit_id: str) -> str | None:
        links = orm.org_links.c
        return self.session.execute(select(links.parent_id).where(
            links.unit_id == unit_id, links.valid_from <= self.on,
            (links.valid_to.is_(None)) | (links.valid_to > self.on))).scalar_one_or_none()


def outbox_stager(today: Callable[[], date]) -> Callable[[Session, list[Any]], None]:
    """The unit of work's hook: stage every event of a commit in the same transaction."""
    def stage(session: Session, staged: list[Any]) -> None:
        aimag_of = AimagResolver(session, today())
        for event in staged:
            stage_event(session, topic=topic_of(event), key=key_of(event), message=to_message(event, aimag_of),
                        source=SOURCE, subject=event.aggregate_id, aimag=aimag_of(event.org_id) or None)
    return stage
