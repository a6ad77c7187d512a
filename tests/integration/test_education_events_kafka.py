"""education's events really reach Kafka in the registry's shape: a school's story (hierarchy, calendar, class,
timetable, learner, guardian, enrolment, transfer) on PostgreSQL, the process's own outbox relay, a real
Kafka-protocol broker, then every record decoded by its ``ce_type`` with the message class the topic registry
allows on that topic."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from datetime import date

import pytest
from education import reference
from education.bootstrap import Container, bootstrap
from education.config import Settings
from education.domain.access import Actor, Role
from education.domain.timetable import Lesson
from education.entrypoints.main import background_workers
from education.service_layer import commands
from esis_shared.kafka import Envelope, ensure_topics
from esis_shared.national_id import Sex
from esis_shared.registry import TopicRegistry, default_proto_dir
from kafka import KafkaConsumer
from kafka.structs import TopicPartition

pytestmark = pytest.mark.integration
MINISTRY = Actor("ministry-1", Role.MINISTRY)
REGISTER_NUMBER = "УБ14250224"
NATIONAL = {"SubjectDefined", "WeeklyHoursSet"}  # the curriculum concerns no one aimag
EXPECTED = {
    "education.org.v1": {"OrgUnitCreated", "CatchmentChanged"},
    "education.classes.v1": {"SubjectDefined", "WeeklyHoursSet", "ClassOpened", "TimetablePublished"},
    "education.learners.v1": {"LearnerRegistered", "GuardianLinked"},
    "education.enrolments.v1": {"LearnerEnrolled"},
    "education.transfers.v1": {"TransferRequested", "TransferApproved"},
}


@pytest.fixture(scope="module")
def registry() -> TopicRegistry:
    return TopicRegistry.load(default_proto_dir() / "topics")


@pytest.fixture
def container(postgres_url: str, kafka_bootstrap: str, registry: TopicRegistry) -> Iterator[Container]:
    ensure_topics(kafka_bootstrap, [(t.name, t.partitions) for t in registry.topics if t.owner == "education"])
    built = bootstrap(Settings(database_url=postgres_url, kafka_bootstrap=kafka_bootstrap), run_migrations=True)
    yield built
    built.close()


def admin(school: str) -> Actor:
    return Actor(f"admin-{school[:4]}", Role.SCHOOL_ADMIN, org_ids=frozenset({school}))


def school_story(c: Container) -> set[str]:
    """Events on all five topics; returns the ids they are keyed by."""
    schools = [c.handle(commands.CreateOrgUnit(kind="school", code=f"K-{soum}-{time.time_ns()}", name_mn="Сургууль",
                                               parent_id=reference.org_id(soum), opened_on=date(2000, 9, 1)), MINISTRY)
               for soum in ("6501", "6503")]
    c.handle(commands.SetCatchment(schools[0], ("6501",)), MINISTRY)
    start = c.clock.today().year - (0 if c.clock.today().month >= 9 else 1)
    year = c.handle(commands.DefineSchoolYear(start), MINISTRY)
    subject = c.handle(commands.DefineSubject(f"MATH-{time.time_ns()}", "Математик", "compulsory"), MINISTRY)
    c.handle(commands.SetWeeklyHours(subject, year, "5", 5), MINISTRY)
    classes = [c.handle(commands.OpenClass(s, year, "5", "А", 1, 30, "101"), admin(s)) for s in schools]
    c.handle(commands.SaveTimetable(classes[0], (Lesson(1, 1, subject, "t-1", "101"),)), admin(schools[0]))
    c.handle(commands.PublishTimetable(classes[0]), admin(schools[0]))
    learner = c.handle(commands.RegisterLearner(schools[0], REGISTER_NUMBER, "Бат", "Сарнай", date(2014, 5, 2),
                                                Sex.FEMALE), admin(schools[0]))
    c.handle(commands.AddGuardian(learner, "Дорж", "Оюун", "00110001", "mother"), admin(schools[0]))
    c.handle(commands.EnrolLearner(learner, classes[0]), admin(schools[0]))
    transfer = c.handle(commands.RequestTransfer(schools[1], learner_id=learner), admin(schools[0]))
    c.handle(commands.ApproveTransfer(transfer, classes[1]), admin(schools[1]))
    return {*schools, subject, *classes, learner, transfer}


def records_keyed(bootstrap_servers: str, keys: set[str], enough: Callable[[list], bool],
                  timeout_s: float = 30.0) -> list:
    """Records of education's topics whose key is one of ``keys`` (the broker is shared with other tests)."""
    client = KafkaConsumer(bootstrap_servers=bootstrap_servers, enable_auto_commit=False)
    try:
        client.assign([TopicPartition(t, p) for t in sorted(EXPECTED) for p in client.partitions_for_topic(t) or ()])
        client.seek_to_beginning()
        found: list = []
        deadline = time.monotonic() + timeout_s
        while not enough(found) and time.monotonic() < deadline:
            found += [r for batch in client.poll(timeout_ms=200).values() for r in batch
                      if r.key and r.key.decode() in keys]
        return found
    finally:
        client.close()


def types_by_topic(records: list) -> dict[str, set[str]]:
    seen: dict[str, set[str]] = {}
    for record in records:
        seen.setdefault(record.topic, set()).add(Envelope.from_record(record).type.rsplit(".", 1)[1])
    return seen


def covers_expected(records: list) -> bool:
    seen = types_by_topic(records)
    return all(types <= seen.get(topic, set()) for topic, types in EXPECTED.items())


def test_every_event_lands_on_its_topic_and_decodes_with_the_registrys_schema(container: Container,
                                                                              kafka_bootstrap: str,
                                                                              registry: TopicRegistry) -> None:
    keys = school_story(container)
    (relay,) = [w for w in background_workers(container) if w.__name__ == "outbox-relay"]
    stop = threading.Event()
    thread = threading.Thread(target=relay, args=(stop,), daemon=True)
    thread.start()
    try:
        records = records_keyed(kafka_bootstrap, keys, covers_expected)
    finally:
        stop.set()
        thread.join(timeout=10)

    assert {t: EXPECTED[t] & types for t, types in types_by_topic(records).items()} == EXPECTED
    for record in records:
        envelope = Envelope.from_record(record)
        assert registry.allowed(record.topic, envelope.type), f"{envelope.type} is not listed for {record.topic}"
        message = registry.message_class(envelope.type).FromString(envelope.value)
        aimag = None if envelope.type.rsplit(".", 1)[1] in NATIONAL else "65"  # both schools are in Arkhangai
        assert (message.DESCRIPTOR.full_name, envelope.source, envelope.aimag) == (envelope.type, "education", aimag)
        assert REGISTER_NUMBER.encode() not in envelope.value and "Сарнай".encode() not in envelope.value
    enrolled = next(Envelope.from_record(r) for r in records if r.topic == "education.enrolments.v1")
    message = registry.message_class(enrolled.type).FromString(enrolled.value)
    assert (message.learner_id, message.school.aimag_code) == (enrolled.key, "65")
    published = next(e for e in map(Envelope.from_record, records) if e.type.endswith(".TimetablePublished"))
    timetable = registry.message_class(published.type).FromString(published.value)
    assert timetable.lessons == 1
    assert [(x.day, x.period, x.teacher_id, x.room, x.subject_code.startswith("MATH-")) for x in
            timetable.weekly_lessons] == [(1, 1, "t-1", "101", True)]
