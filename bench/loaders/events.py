"""The events education and hr publish, built from a generated dataset, published in batches to a broker.

A consumer service builds its read models from these topics through its own consumer, as it would from the real
services: the messages, topics, keys, ``ce_*`` headers and the ``aimag`` header are the ones education's and hr's
outbox staging writes (``education.adapters.messages``, ``hr.adapters.messages``):

============================ =========================================================== ==============
topic                        messages                                                    key
============================ =========================================================== ==============
``education.org.v1``         ``OrgUnitCreated`` (ministry, capital, aimags, districts,   unit id
                             soums, then schools and kindergartens; khoroos are areas)
``education.classes.v1``     ``SchoolYearDefined``, ``ClassOpened``, ``ClassChanged``    year / class id
                             (room, capacity, class teacher)
``education.learners.v1``    ``LearnerRegistered``                                       learner id
``education.enrolments.v1``  ``LearnerEnrolled`` (first day of the year)                 learner id
``hr.staff.v1``              ``StaffHired``, ``StaffAccountLinked`` (when accounts given) staff id
``hr.assignments.v1``        ``TeachingAssigned`` (the whole school year)                assignment id
============================ =========================================================== ==============

Event ids are derived from the dataset (UUID 5), so publishing the same dataset twice is deduplicated by every
consumer's processed-event table. ``shift_years`` moves every date (and the school year's label) by whole years,
e.g. to the school year a service's calendar knows. Nothing personal leaves the dataset: ids, codes, birth year
and sex only, as in the real events.

    events = [*education_events(data), *hr_events(data)]
    counts = publish(bootstrap, events)          # {"education.org.v1": 564, ...}
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from esis.common.v1 import common_pb2
from esis.education.v1 import education_events_pb2 as edu
from esis.hr.v1 import hr_events_pb2 as hr
from esis_shared.kafka import Envelope, ensure_topics, make_producer
from esis_shared.kafka import publish as send
from esis_shared.registry import TopicRegistry
from google.protobuf.message import Message

from bench.synthetic.writer import read_manifest, read_rows

TOPICS_DIR = Path(__file__).resolve().parents[2] / "proto" / "topics"
ORG, CLASSES, LEARNERS, ENROLMENTS = ("education.org.v1", "education.classes.v1", "education.learners.v1",
                                      "education.enrolments.v1")
STAFF, ASSIGNMENTS = "hr.staff.v1", "hr.assignments.v1"
NAMESPACE = uuid.UUID("6f0d0c4e-58f5-4b0e-9f27-0e5b1e1a5e44")  # of the bench's derived ids
ORG_KINDS = {"ministry": edu.ORG_KIND_MINISTRY, "capital": edu.ORG_KIND_CAPITAL, "aimag": edu.ORG_KIND_AIMAG,
             "district": edu.ORG_KIND_DISTRICT, "soum": edu.ORG_KIND_SOUM, "school": edu.ORG_KIND_SCHOOL,
             "kindergarten": edu.ORG_KIND_KINDERGARTEN}
SEXES = {"male": edu.SEX_MALE, "female": edu.SEX_FEMALE}
HR_SEXES = {"male": hr.SEX_MALE, "female": hr.SEX_FEMALE}
POSITIONS = {"teacher": hr.POSITION_KIND_TEACHER, "kindergarten_teacher": hr.POSITION_KIND_TEACHER,
             "director": hr.POSITION_KIND_DIRECTOR, "training_manager": hr.POSITION_KIND_TRAINING_MANAGER}


def derived_id(*parts: str) -> str:
    """A stable id for something the dataset has no id for (an assignment, an appointment, an event)."""
    return str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def assignment_id(teacher_id: str, class_id: str, subject_code: str) -> str:
    return derived_id("assignment", teacher_id, class_id, subject_code)


@dataclass(frozen=True)
class SchoolYear:
    """The school year the events describe: the dataset's, moved by ``shift_years``."""

    label: str        # "2023-2024"
    starts_on: date
    last_day: date
    shift_years: int = 0

    def shift(self, day: date) -> date:
        return shifted(day, self.shift_years)


def shifted(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def school_year(data: Path, shift_years: int = 0) -> SchoolYear:
    manifest = read_manifest(data)
    terms = manifest["calendar"]["terms"]
    first = shifted(date.fromisoformat(min(t["starts_on"] for t in terms)), shift_years)
    last = shifted(date.fromisoformat(max(t["ends_on"] for t in terms)), shift_years)
    start_year = int(manifest["school_year"]) + shift_years
    return SchoolYear(f"{start_year}-{start_year + 1}", first, last, shift_years)


def pb_date(day: date) -> common_pb2.Date:
    return common_pb2.Date(year=day.year, month=day.month, day=day.day)


class _Events:
    """Builds envelopes the way the owning service's outbox would (one ``occurred_at`` for the whole load)."""

    def __init__(self, source: str, year: SchoolYear) -> None:
        self.source, self.year = source, year
        self.now = datetime.now(UTC)

    def envelope(self, topic: str, key: str, message: Message, *, subject: str | None = None,
                 aimag: str | None = None) -> Envelope:
        if hasattr(message, "occurred_at"):
            message.occurred_at.FromDatetime(self.now)  # type: ignore[attr-defined]
        name = message.DESCRIPTOR.full_name
        event_id = derived_id("event", self.year.label, name, key, subject or "", _distinct(message))
        return Envelope(id=event_id, type=name, source=self.source, time=self.now, subject=subject or key,
                        aimag=aimag or None, key=key, value=message.SerializeToString(), topic=topic)


def _distinct(message: Message) -> str:
    """What tells apart two events of one type and key (a learner's enrolment in one class …)."""
    return "|".join(str(getattr(message, f)) for f in ("class_id", "account_id", "appointment_id")
                    if f in message.DESCRIPTOR.fields_by_name)


def _aimags(data: Path) -> dict[str, str]:
    """The NSO code of each unit's and institution's aimag or the capital (education's ``AimagResolver``)."""
    found = {row["id"]: row["aimag_code"] for row in read_rows(data, "admin_units") if row["aimag_code"]}
    found.update({row["id"]: row["aimag_code"] for row in read_rows(data, "institutions")})
    return found


def education_events(data: Path, *, shift_years: int = 0, org: bool = True, classes: bool = True,
                     learners: bool = True, enrolments: bool = True) -> Iterator[Envelope]:
    """Education's events for the dataset, in the order education would have published them."""
    year = school_year(data, shift_years)
    ev, aimag_of = _Events("education", year), _aimags(data)

    def ref(org_id: str) -> common_pb2.OrgRef:
        return common_pb2.OrgRef(org_id=org_id, aimag_code=aimag_of.get(org_id, ""))

    if org:
        for row in read_rows(data, "admin_units"):
            if row["kind"] not in ORG_KINDS:
                continue  # khoroos are areas (catchments, addresses), not units of the hierarchy
            yield ev.envelope(ORG, row["id"], edu.OrgUnitCreated(
                unit_id=row["id"], kind=ORG_KINDS[row["kind"]], code=row["code"], name_mn=row["name_mn"],
                parent_id=row["parent_id"], valid_from=pb_date(year.starts_on)), aimag=row["aimag_code"])
        for row in read_rows(data, "institutions"):
            yield ev.envelope(ORG, row["id"], edu.OrgUnitCreated(
                unit_id=row["id"], kind=ORG_KINDS[row["kind"]], code=_institution_code(row), name_mn=row["name_mn"],
                parent_id=row["unit_id"], valid_from=pb_date(year.starts_on)), aimag=row["aimag_code"])
    if classes:
        yield ev.envelope(CLASSES, year.label, edu.SchoolYearDefined(
            year_id=year.label, starts_on=pb_date(year.starts_on), ends_on=pb_date(year.last_day), terms=4))
        for row in read_rows(data, "classes"):
            school, aimag = row["institution_id"], aimag_of.get(row["institution_id"])
            yield ev.envelope(CLASSES, row["id"], edu.ClassOpened(
                class_id=row["id"], school=ref(school), year_id=year.label, level=row["level"], letter=row["letter"],
                shift=int(row["shift"] or 1), capacity=int(row["capacity"] or 0)), aimag=aimag)
            yield ev.envelope(CLASSES, row["id"], edu.ClassChanged(
                class_id=row["id"], school=ref(school), room=row["room"], capacity=int(row["capacity"] or 0),
                class_teacher_id=row["class_teacher_id"]), aimag=aimag)
    if learners or enrolments:
        for row in read_rows(data, "learners"):
            school, aimag = row["institution_id"], aimag_of.get(row["institution_id"])
            if learners:
                born = date.fromisoformat(row["birth_date"])
                yield ev.envelope(LEARNERS, row["id"], edu.LearnerRegistered(
                    learner_id=row["id"], school=ref(school), birth_year=shifted(born, shift_years).year,
                    sex=SEXES.get(row["sex"], edu.SEX_UNSPECIFIED)), aimag=aimag)
            if enrolments:
                yield ev.envelope(ENROLMENTS, row["id"], edu.LearnerEnrolled(
                    learner_id=row["id"], school=ref(school), class_id=row["class_id"], level=row["level"],
                    on=pb_date(year.starts_on), via=edu.ENROLMENT_VIA_ADMISSION), aimag=aimag)


def _institution_code(row: Mapping[str, str]) -> str:
    """The dataset has no ministry code for institutions: a stable one from the area code and the id."""
    return f"{row['area_code']}-{row['id'][:8]}"


def hr_events(data: Path, *, shift_years: int = 0, staff: bool = True, assignments: bool = True,
              accounts: Mapping[str, str] | None = None) -> Iterator[Envelope]:
    """hr's events: hires, account links (``accounts``: staff id → identity account id) and assignments."""
    year = school_year(data, shift_years)
    ev, aimag_of = _Events("hr", year), _aimags(data)
    if staff or accounts:
        for row in read_rows(data, "staff"):
            org_id, aimag = row["institution_id"], aimag_of.get(row["institution_id"])
            if staff:
                yield ev.envelope(STAFF, row["id"], hr.StaffHired(
                    staff_id=row["id"], appointment_id=derived_id("appointment", row["id"], org_id), org_id=org_id,
                    position_id=derived_id("position", row["id"], org_id),
                    position_kind=POSITIONS.get(row["role"], hr.POSITION_KIND_SUPPORT_STAFF), fte_percent=100,
                    start_date=pb_date(year.starts_on), sex=HR_SEXES.get(row["sex"], hr.SEX_UNSPECIFIED)),
                    aimag=aimag)
            if accounts and row["id"] in accounts:
                yield ev.envelope(STAFF, row["id"], hr.StaffAccountLinked(
                    staff_id=row["id"], account_id=accounts[row["id"]], org_ids=[org_id]), aimag=aimag)
    if assignments:
        school_of = {row["id"]: row["institution_id"] for row in read_rows(data, "classes")}
        for row in read_rows(data, "assignments"):
            org_id = school_of[row["class_id"]]
            key = assignment_id(row["teacher_id"], row["class_id"], row["subject_code"])
            yield ev.envelope(ASSIGNMENTS, key, hr.TeachingAssigned(
                assignment_id=key, staff_id=row["teacher_id"], class_id=row["class_id"], org_id=org_id,
                subject_code=row["subject_code"], school_year=year.label, weekly_hours=int(row["weekly_hours"]),
                start_date=pb_date(year.starts_on), last_day=pb_date(year.last_day)), aimag=aimag_of.get(org_id))


def ensure(bootstrap: str, topics: Iterable[str]) -> None:
    """Create the topics (and their dead-letter topics) with the partitions the registry declares."""
    registry = TopicRegistry.load(TOPICS_DIR)
    ensure_topics(bootstrap, [(name, registry.get(name).partitions) for name in sorted(set(topics))])


def publish(bootstrap: str, envelopes: Iterable[Envelope], *, batch: int = 5_000, create_topics: bool = True,
            producer: Any | None = None) -> dict[str, int]:
    """Send the events in order, waiting for the broker's acknowledgement after each ``batch``; per-topic counts.

    Any failed send raises (after the batch it belongs to), so a returned count was really delivered.
    """
    counts: dict[str, int] = {}
    own = producer is None
    pending: list[Any] = []
    created: set[str] = set()
    sender = producer or make_producer(bootstrap, linger_ms=50, batch_size=256 * 1024, client_id="esis-bench-events")
    try:
        for envelope in envelopes:
            assert envelope.topic is not None
            if create_topics and envelope.topic not in created:
                ensure(bootstrap, [envelope.topic])
                created.add(envelope.topic)
            pending.append(send(sender, envelope))
            counts[envelope.topic] = counts.get(envelope.topic, 0) + 1
            if len(pending) >= batch:
                _settle(sender, pending)
        _settle(sender, pending)
    finally:
        if own:
            sender.close()
    return counts


def _settle(producer: Any, pending: list[Any]) -> None:
    producer.flush()
    for future in pending:
        future.get(timeout=30)
    pending.clear()


__all__ = ["SchoolYear", "assignment_id", "derived_id", "education_events", "ensure", "hr_events", "publish",
           "school_year"]
