"""End to end across education, hr and the teacher portal on one Kafka-protocol broker.

A school opens class 6А and enrols a learner in education; hr learns of the class from education's events and
assigns a maths teacher; the teacher portal builds its roster from both streams, the teacher marks the class
through the portal's API, and AttendanceMarked is on teacher.attendance.v1 — keyed by the class, routed by the
aimag, carrying the learner's id and nothing personal.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from education import reference as education_reference
from education.bootstrap import bootstrap as education_bootstrap
from education.config import Settings as EducationSettings
from education.domain.access import Actor as EducationActor
from education.domain.access import Role as EducationRole
from education.service_layer import commands as education_commands
from education.service_layer.clock import FixedClock
from esis.teacher.v1 import teacher_events_pb2 as teacher_events
from esis_shared.auth import Principal, StaticKeyVerifier, jwks_document, sign_access_token
from esis_shared.consumer import EventConsumer
from esis_shared.db import make_session_factory
from esis_shared.kafka import ensure_topics, make_producer
from esis_shared.national_id import Sex
from esis_shared.registry import TopicRegistry, default_proto_dir
from esis_shared.relay import OutboxRelay
from esis_shared.testing.kafka_tools import drain
from fastapi.testclient import TestClient
from hr.bootstrap import bootstrap as hr_bootstrap
from hr.config import Settings as HrSettings
from hr.domain.access import Actor as HrActor
from hr.domain.access import Role as HrRole
from hr.entrypoints import consumer as hr_consumer
from hr.service_layer import commands as hr_commands
from joserfc.jwk import RSAKey
from kafka import KafkaConsumer
from kafka.structs import TopicPartition
from sqlalchemy import Engine
from teacher.bootstrap import bootstrap as teacher_bootstrap
from teacher.config import Settings as TeacherSettings
from teacher.domain.access import Actor as TeacherActor
from teacher.entrypoints import consumer as teacher_consumer
from teacher.entrypoints.api.app import build_app
from teacher.service_layer.views import attendance as teacher_views

pytestmark = pytest.mark.integration
NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)  # Monday 30 November 2026, 10:00 in Ulaanbaatar
MONDAY = date(2026, 11, 30)
FIRST_DAY = date(2026, 9, 1)
YEAR = "2026-2027"
MINISTRY = EducationActor("ministry-1", EducationRole.MINISTRY)
KEY = RSAKey.generate_key(2048, private=True)


def relay(engine: Engine, bootstrap: str, service: str) -> None:
    producer = make_producer(bootstrap)
    try:
        outbox = OutboxRelay(engine, producer, service=service)
        while outbox.run_once():
            pass
    finally:
        producer.close()


def consume(bootstrap: str, topics: tuple[str, ...], handlers: dict[str, Any], engine: Engine,
            until: Callable[[], bool]) -> None:
    consumer = EventConsumer(bootstrap=bootstrap, group_id=f"flow-{uuid.uuid4().hex[:8]}", topics=topics,
                             session_factory=make_session_factory(engine), handlers=handlers,
                             session_timeout_ms=2000, heartbeat_interval_ms=500)
    try:
        drain(consumer, until, timeout_s=60)
    finally:
        consumer.close()


def find_record(bootstrap: str, topic: str, match: Callable[[Any], bool], timeout_s: float = 20.0) -> Any:
    client = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest")
    try:
        client.assign([TopicPartition(topic, p) for p in sorted(client.partitions_for_topic(topic) or ())])
        client.seek_to_beginning()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for records in client.poll(timeout_ms=200).values():
                found = next((r for r in records if match(r)), None)
                if found is not None:
                    return found
    finally:
        client.close()
    raise AssertionError(f"no matching record on {topic} within {timeout_s}s")


@pytest.fixture
def topics(kafka_bootstrap: str) -> None:
    registry = TopicRegistry.load(default_proto_dir() / "topics")
    wanted = {*teacher_consumer.TOPICS, *hr_consumer.TOPICS, "hr.assignments.v1", "teacher.attendance.v1"}
    ensure_topics(kafka_bootstrap, [(name, registry.get(name).partitions) for name in sorted(wanted)])


@pytest.fixture
def education(tmp_path: Path) -> Iterator[Any]:
    container = education_bootstrap(EducationSettings(database_url=f"sqlite:///{tmp_path / 'education.db'}",
                                                      kafka_enabled=False), clock=FixedClock(NOW),
                                    run_migrations=True)
    yield container
    container.close()


@pytest.fixture
def hr(tmp_path: Path) -> Iterator[Any]:
    container = hr_bootstrap(HrSettings(database_url=f"sqlite:///{tmp_path / 'hr.db'}", kafka_enabled=False),
                             clock=lambda: NOW, run_migrations=True)
    yield container
    container.close()


@pytest.fixture
def teacher(postgres_url: str) -> Iterator[Any]:
    verifier = StaticKeyVerifier(jwks_document([KEY]), issuer="esis-identity", audience="esis")
    container = teacher_bootstrap(TeacherSettings(database_url=postgres_url, kafka_enabled=False, grpc_port=None),
                                  clock=lambda: NOW, verifier=verifier, run_migrations=True)
    yield container
    container.close()


def open_class_and_enrol(education: Any) -> dict[str, str]:
    school = education.handle(education_commands.CreateOrgUnit(
        "school", f"S-{uuid.uuid4().hex[:6]}", "Цэцэрлэгийн 1-р сургууль", education_reference.org_id("6501"),
        date(2000, 9, 1)), MINISTRY)
    admin = EducationActor("edu-admin", EducationRole.SCHOOL_ADMIN, org_ids=frozenset({school}))
    education.handle(education_commands.DefineSchoolYear(2026), MINISTRY)
    class_id = education.handle(education_commands.OpenClass(school, YEAR, "6", "А", 1, 30), admin)
    learner = education.handle(education_commands.RegisterLearner(
        school, "УБ14250224", "Бат", "Сарнай", date(2014, 5, 2), Sex.FEMALE), admin)
    education.handle(education_commands.EnrolLearner(learner, class_id, FIRST_DAY), admin)
    return {"school": school, "class": class_id, "learner": learner}


def assign_maths_teacher(hr: Any, school: str, class_id: str) -> str:
    admin = HrActor("hr-admin", HrRole.SCHOOL_ADMIN, frozenset({school}))
    post = hr.bus.handle(hr_commands.CreatePosition(admin, school, "teacher", "1", "math"))
    person = hr_commands.PersonDetails("УБ88031522", "Дорж", "Саруул", date(1988, 3, 15), "female")
    staff = hr.bus.handle(hr_commands.HireStaff(admin, person, post.id, "1", FIRST_DAY)).staff_id
    hr.bus.handle(hr_commands.AssignTeaching(admin, staff, class_id, "math", YEAR, 5, FIRST_DAY))
    return staff


def test_an_enrolled_learner_reaches_the_teachers_roster_and_their_attendance_reaches_kafka(
        topics: None, kafka_bootstrap: str, education: Any, hr: Any, teacher: Any) -> None:
    ids = open_class_and_enrol(education)
    relay(education.engine, kafka_bootstrap, "education")

    # hr learns the school and class from education's events, then a teacher is assigned to it.
    consume(kafka_bootstrap, hr_consumer.TOPICS, hr_consumer.HANDLERS, hr.engine,
            until=lambda: _hr_knows_class(hr, ids["class"]))
    assign_maths_teacher(hr, ids["school"], ids["class"])
    relay(hr.engine, kafka_bootstrap, "hr")

    # The portal builds its roster from education's and hr's streams.
    saruul = TeacherActor("acc-saruul", "teacher", frozenset({ids["school"]}), frozenset({ids["class"]}))
    consume(kafka_bootstrap, teacher_consumer.TOPICS, teacher_consumer.HANDLERS, teacher.engine,
            until=lambda: _roster(teacher, saruul) is not None and _roster(teacher, saruul).learners == 1)
    today = _roster(teacher, saruul)
    assert (today.info.label, today.info.aimag, today.subjects) == ("6А", "65", ["math"])

    # The teacher marks the class through the portal's API; the relay publishes the sheet.
    token = sign_access_token(Principal(saruul.account_id, "teacher", saruul.org_ids, saruul.class_ids), KEY,
                              issuer="esis-identity", audience="esis", ttl_s=600)
    with TestClient(build_app(teacher)) as client:
        form = client.get(f"/api/teacher/v1/classes/{ids['class']}/attendance", params={"day": MONDAY.isoformat(),
                          "lesson": 1}, headers={"Authorization": f"Bearer {token}"}).json()
        assert [m["learner_id"] for m in form["marks"]] == [ids["learner"]]
        marked = client.post(f"/api/teacher/v1/classes/{ids['class']}/attendance", headers={
            "Authorization": f"Bearer {token}"}, json={"form_id": "flow-1", "day": MONDAY.isoformat(), "lesson": 1,
                                                       "subject_code": "math",
                                                       "marks": [{"learner_id": ids["learner"], "code": "sick"}]})
    assert marked.status_code == 201, marked.text
    relay(teacher.engine, kafka_bootstrap, "teacher")

    record = find_record(kafka_bootstrap, "teacher.attendance.v1",
                         lambda r: teacher_events.AttendanceMarked.FromString(r.value).class_id == ids["class"])
    headers = {name: value.decode() for name, value in record.headers}
    event = teacher_events.AttendanceMarked.FromString(record.value)
    assert (record.key.decode(), headers["ce_type"], headers["aimag"]) == (
        ids["class"], "esis.teacher.v1.AttendanceMarked", "65")
    assert [(m.learner_id, m.code, m.category) for m in event.marks] == [(ids["learner"], "sick", "excused_absence")]
    assert (event.school.org_id, event.lesson, event.subject_code) == (ids["school"], 1, "math")
    assert "Сарнай".encode() not in record.value and b"14250224" not in record.value


def _hr_knows_class(hr: Any, class_id: str) -> bool:
    with hr.uow() as uow:
        return uow.directory.class_info(class_id) is not None


def _roster(teacher: Any, actor: TeacherActor) -> Any:
    found = teacher_views.today(actor, teacher.uow(), teacher.context, MONDAY)
    return found[0] if found else None
