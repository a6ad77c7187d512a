"""Domain events → protobuf messages (esis.education.v1) staged in the outbox, with the ``aimag`` header.

Message fields are filled by name from the event: ``school`` / ``from_school`` / ``to_school`` (OrgRef) from
``*_id`` attributes, dates as ``esis.common.v1.Date``, enums from lower-case codes (``"male"`` →
``SEX_MALE``), ``occurred_at`` from the clock. A domain field without a message field stays in the service.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from typing import Any

from esis.common.v1 import common_pb2
from esis.education.v1 import education_events_pb2 as pb
from esis_shared.outbox import stage_event
from google.protobuf import timestamp_pb2
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
    message_cls, fillers = _plan(type(event).__name__)
    message = message_cls()
    when = at or datetime.now(UTC)
    for fill in fillers:
        fill(message, event, aimag_of, when)
    return message


Filler = Callable[[Message, Any, AimagOf, datetime], None]


@functools.cache
def _plan(name: str) -> tuple[type[Message], tuple[Filler, ...]]:
    """The message class of an event class and one filler per message field, worked out once per class."""
    message_cls = getattr(pb, name)
    return message_cls, tuple(_filler(field) for field in message_cls.DESCRIPTOR.fields)


def _filler(field: FieldDescriptor) -> Filler:
    name = field.name
    kind = field.message_type.full_name if field.message_type is not None else None
    if name == "occurred_at":
        def fill(message: Message, event: Any, aimag_of: AimagOf, at: datetime) -> None:
            stamp = getattr(message, name)
            stamp.seconds, stamp.nanos = _timestamp(at)
    elif kind == "esis.common.v1.OrgRef":
        attribute = f"{name}_id"

        def fill(message: Message, event: Any, aimag_of: AimagOf, at: datetime) -> None:
            org_id = getattr(event, attribute)
            if not org_id:  # as it was: present, empty (or without an id)
                getattr(message, name).CopyFrom(common_pb2.OrgRef(org_id=org_id, aimag_code=aimag_of(org_id)))
                return
            ref = getattr(message, name)
            ref.org_id, ref.aimag_code = org_id, aimag_of(org_id)
    elif kind == "esis.common.v1.Date":
        def fill(message: Message, event: Any, aimag_of: AimagOf, at: datetime) -> None:
            day: date | None = getattr(event, name)
            if day is not None:
                target = getattr(message, name)
                target.year, target.month, target.day = day.year, day.month, day.day
    elif field.enum_type is not None:
        numbers = _enum_numbers(field)

        def fill(message: Message, event: Any, aimag_of: AimagOf, at: datetime) -> None:
            code = getattr(event, name)
            setattr(message, name, numbers[code] if code in numbers else _enum_number(field, code))
    elif kind is not None and _is_repeated(field):  # e.g. a timetable's lessons: plain values
        def fill(message: Message, event: Any, aimag_of: AimagOf, at: datetime) -> None:
            for item in getattr(event, name):
                added = getattr(message, name).add()
                for sub in added.DESCRIPTOR.fields:
                    setattr(added, sub.name, getattr(item, sub.name))
    elif _is_repeated(field):
        def fill(message: Message, event: Any, aimag_of: AimagOf, at: datetime) -> None:
            getattr(message, name).extend(getattr(event, name))
    else:
        default = field.default_value

        def fill(message: Message, event: Any, aimag_of: AimagOf, at: datetime) -> None:
            value = getattr(event, name)
            setattr(message, name, value if value is not None else default)
    return fill


@functools.lru_cache(maxsize=16)
def _timestamp(at: datetime) -> tuple[int, int]:
    """(seconds, nanos) of a protobuf Timestamp, worked out once for the many events of one instant."""
    stamp = timestamp_pb2.Timestamp()
    stamp.FromDatetime(at)
    return stamp.seconds, stamp.nanos


def _is_repeated(field: FieldDescriptor) -> bool:
    return bool(field.is_repeated)


def _enum_prefix(field: FieldDescriptor) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", field.enum_type.name).upper()


def _enum_numbers(field: FieldDescriptor) -> dict[str, int]:
    """Lower-case codes (``male``) → numbers; an enum member (a str enum) hashes like its code."""
    prefix = _enum_prefix(field) + "_"
    return {value.name[len(prefix):].lower(): value.number for value in field.enum_type.values
            if value.name.startswith(prefix)}


def _enum_number(field: FieldDescriptor, code: str) -> int:
    return field.enum_type.values_by_name[f"{_enum_prefix(field)}_{code.upper()}"].number


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

    def preload(self, org_ids: Iterable[str | None]) -> None:
        """Resolve many organisations at once, level by level (two queries a level instead of two per unit and
        level): the bulk paths announce events of hundreds of schools per request. Same answers as ``_walk``."""
        units, links = orm.org_units.c, orm.org_links.c
        pending = {org_id: org_id for org_id in set(org_ids) if org_id and org_id not in self.memo}
        for _ in range(6):
            if not pending:
                return
            current = sorted(set(pending.values()))
            found = {row.id: row for row in self.session.execute(
                select(units.id, units.kind, units.code).where(units.id.in_(current)))}
            climbing = sorted(i for i, row in found.items() if row.kind not in ("aimag", "capital"))
            parents = dict(self.session.execute(select(links.unit_id, links.parent_id).where(
                links.unit_id.in_(climbing), links.valid_from <= self.on,
                (links.valid_to.is_(None)) | (links.valid_to > self.on))).all()) if climbing else {}
            following: dict[str, str] = {}
            for origin, at in pending.items():
                row = found.get(at)
                if row is not None and row.kind in ("aimag", "capital"):
                    self.memo[origin] = row.code
                elif row is not None and parents.get(at) is not None:
                    following[origin] = parents[at]
                else:
                    self.memo[origin] = ""
            pending = following
        self.memo.update(dict.fromkeys(pending, ""))  # deeper than six levels, as ``_walk``

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
