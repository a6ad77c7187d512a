"""Events on a real Kafka-protocol broker: the outbox relay publishes the journal's facts, the consumer builds the
roster from education's and hr's events, and the gRPC service answers from the journal."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

import grpc
import pytest
from esis.common.v1 import common_pb2
from esis.education.v1 import education_events_pb2 as education
from esis.hr.v1 import hr_events_pb2 as hr
from esis.teacher.v1 import teacher_events_pb2 as pb
from esis.teacher.v1 import teacher_service_pb2, teacher_service_pb2_grpc
from esis_shared.consumer import EventConsumer
from esis_shared.db import make_session_factory
from esis_shared.grpc import grpc_channel
from esis_shared.kafka import Envelope, ensure_topics, make_producer, publish
from esis_shared.relay import OutboxRelay
from esis_shared.testing.kafka_tools import drain
from esis_shared.testing.processes import free_port
from kafka import KafkaConsumer
from kafka.structs import TopicPartition
from teacher.bootstrap import Container
from teacher.entrypoints.consumer import HANDLERS
from teacher.entrypoints.grpc_server import build_grpc_server
from teacher.service_layer import commands
from teacher.service_layer.views import attendance as views

from ..conftest import MANAGER, MONDAY, OTHER_TEACHER, SIXTH, TEACHER, YEAR, Clock, Tokens, sql_container

pytestmark = pytest.mark.integration
ATTENDANCE = "teacher.attendance.v1"


@pytest.fixture
def pg(postgres_url: str, tokens: Tokens, clock: Clock) -> Iterator[Container]:
    container = sql_container(postgres_url, tokens, clock)
    yield container
    container.close()


def relay_all(container: Container, bootstrap: str) -> None:
    producer = make_producer(bootstrap)
    try:
        relay = OutboxRelay(container.engine, producer, service="teacher")
        while relay.run_once():
            pass
    finally:
        producer.close()


def find_record(bootstrap: str, topic: str, match: Callable[[Any], bool], timeout_s: float = 15.0) -> Any:
    """The first record of ``topic`` (read from the beginning) that ``match`` accepts."""
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
        raise AssertionError(f"no matching record on {topic} within {timeout_s}s")
    finally:
        client.close()


def test_a_marked_class_reaches_kafka_keyed_by_class_with_cloudevents_headers(pg: Container,
                                                                            kafka_bootstrap: str) -> None:
    ensure_topics(kafka_bootstrap, [(ATTENDANCE, 6)])
    sheet = pg.handle(commands.MarkAttendance(TEACHER, "f-kafka", "6a", MONDAY,
                                              tuple((x, "sick" if x == "L4" else "present") for x in SIXTH), 1,
                                              "math"))
    relay_all(pg, kafka_bootstrap)
    record = find_record(kafka_bootstrap, ATTENDANCE, lambda r: pb.AttendanceMarked.FromString(r.value).sheet_id
                         == sheet.id)
    headers = {name: value.decode() for name, value in record.headers}
    assert (record.key, headers["ce_type"], headers["ce_source"], headers["aimag"], headers["ce_subject"]) == (
        b"6a", "esis.teacher.v1.AttendanceMarked", "teacher", "11", sheet.id)
    message = pb.AttendanceMarked.FromString(record.value)
    assert [(m.learner_id, m.code) for m in message.marks] == [("L1", "present"), ("L2", "present"),
                                                                ("L3", "present"), ("L4", "sick")]
    assert b"register" not in record.value


def d(day: date) -> common_pb2.Date:
    return common_pb2.Date(year=day.year, month=day.month, day=day.day)


def test_the_consumer_builds_the_roster_from_education_and_hr_events(
        postgres_url: str, tokens: Tokens, clock: Clock, kafka_bootstrap: str,
        kafka_topic: Callable[..., str], kafka_group: str) -> None:
    container = sql_container(postgres_url, tokens, clock, seed=False)
    topics = {name: kafka_topic(prefix=name.split(".")[0]) for name in ("classes", "enrolments", "assignments")}
    school = common_pb2.OrgRef(org_id="school-9", aimag_code="65")
    facts: list[tuple[str, Any]] = [
        ("classes", education.ClassOpened(class_id="c7", school=school, year_id=YEAR, level="7", letter="А")),
        ("enrolments", education.LearnerEnrolled(learner_id="n1", school=school, class_id="c7",
                                                 on=d(date(2026, 9, 1)))),
        ("assignments", hr.TeachingAssigned(assignment_id="as-7", staff_id="st", class_id="c7", org_id="school-9",
                                            subject_code="math", school_year=YEAR, start_date=d(date(2026, 9, 1)))),
    ]
    producer = make_producer(kafka_bootstrap)
    for stream, message in facts:
        publish(producer, Envelope.for_message(message, source="test", topic=topics[stream], key="k", aimag="65"))
    producer.flush()
    producer.close()
    consumer = EventConsumer(bootstrap=kafka_bootstrap, group_id=kafka_group, topics=list(topics.values()),
                             session_factory=make_session_factory(container.engine), handlers=HANDLERS,
                             session_timeout_ms=2000, heartbeat_interval_ms=500)
    teacher = TEACHER.__class__(TEACHER.account_id, "teacher", frozenset({"school-9"}), frozenset({"c7"}))
    try:
        drain(consumer, lambda: bool(views.today(teacher, container.uow(), container.context, MONDAY)))
    finally:
        consumer.close()
        container.close()
    (day,) = views.today(teacher, container.uow(), container.context, MONDAY)
    assert (day.info.label, day.info.aimag, day.subjects, day.learners) == ("7А", "65", ["math"], 1)


@pytest.fixture
def stub(pg: Container) -> Iterator[teacher_service_pb2_grpc.TeacherServiceStub]:
    pg.settings.grpc_port = free_port()
    server = build_grpc_server(pg)
    server.start()
    channel = grpc_channel(f"127.0.0.1:{pg.settings.grpc_port}")
    try:
        yield teacher_service_pb2_grpc.TeacherServiceStub(channel)
    finally:
        channel.close()
        server.stop(grace=None)


def test_grpc_answers_attendance_counts_and_refuses_a_request_without_a_year(pg: Container, stub: Any) -> None:
    pg.handle(commands.MarkAttendance(TEACHER, "f", "6a", MONDAY,
                                      tuple((x, "unexcused" if x == "L1" else "present") for x in SIXTH), 1, "math"))
    summary = stub.GetAttendanceSummary(teacher_service_pb2.GetAttendanceSummaryRequest(learner_id="L1",
                                                                                        school_year=YEAR))
    assert [(c.category, c.count) for c in summary.lessons] == [("unexcused_absence", 1)] and not summary.daily
    with pytest.raises(grpc.RpcError) as exc:
        stub.ListFinalGrades(teacher_service_pb2.ListFinalGradesRequest(learner_id="L1"))
    assert exc.value.code() == grpc.StatusCode.INVALID_ARGUMENT



TERM_DAYS = (date(2026, 10, 5), date(2026, 11, 16), date(2027, 2, 15), date(2027, 5, 10))


def finalize_6b(container: Container, clock: Clock, percents: tuple[str, ...]) -> None:
    """6Б has one learner (B1) all year: mark every term, approve the terms, then the annual grades."""
    clock.set_day(date(2027, 6, 14))
    for term, (held_on, percent) in enumerate(zip(TERM_DAYS, percents, strict=True), start=1):
        exam = container.handle(commands.CreateAssessment(OTHER_TEACHER, "6b", "math", term, "Шалгалт", held_on))
        container.handle(commands.RecordMarks(OTHER_TEACHER, "6b", "math", (commands.MarkInput(exam.id, "B1",
                                                                                                percent),)))
        for period in (term,) if term < 4 else (term, 0):
            sheet = container.handle(commands.SubmitGrades(OTHER_TEACHER, "6b", "math", YEAR, period))
            container.handle(commands.ApproveGrades(MANAGER, sheet.id))


def test_grpc_lists_the_final_annual_grades(pg: Container, clock: Clock, stub: Any) -> None:
    finalize_6b(pg, clock, ("90", "80", "70", "60"))
    request = teacher_service_pb2.ListFinalGradesRequest(learner_id="B1", school_year=YEAR)
    (grade,) = stub.ListFinalGrades(request).grades
    assert (grade.class_id, grade.subject_code, grade.percent, grade.scale, grade.grade) == (
        "6b", "math", 75.0, "secondary", "C")
    assert grade.school.org_id == "school-17" and grade.school.aimag_code == "11"
