"""hr's gRPC service and its events on a real Kafka-protocol broker."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date

import grpc
import pytest
from esis.common.v1 import common_pb2
from esis.hr.v1 import hr_events_pb2, hr_service_pb2, hr_service_pb2_grpc
from esis_shared.grpc import grpc_channel
from esis_shared.kafka import ensure_topics, make_producer
from esis_shared.relay import OutboxRelay
from esis_shared.testing.processes import free_port
from hr.bootstrap import Container
from hr.entrypoints.grpc_server import build_grpc_server
from hr.service_layer import commands, views
from kafka import KafkaConsumer
from kafka.structs import TopicPartition

from .conftest import ADMIN, SCHOOL, hire

pytestmark = pytest.mark.integration
BOLD = ("УБ85031512", date(1985, 3, 15), "male")


@pytest.fixture
def stub(pg_container: Container) -> Iterator[hr_service_pb2_grpc.HrServiceStub]:
    port = free_port()
    server = build_grpc_server(pg_container, port)
    server.start()
    channel = grpc_channel(f"127.0.0.1:{port}")
    try:
        yield hr_service_pb2_grpc.HrServiceStub(channel)
    finally:
        channel.close()
        server.stop(grace=None)


def test_get_staff_answers_names_and_current_posts_and_audits_the_read(pg_container, stub) -> None:
    staff_id = hire(pg_container, *BOLD).staff_id
    answer = stub.GetStaff(hr_service_pb2.GetStaffRequest(staff_id=staff_id, purpose="create teacher account",
                                                          caller="identity"))
    assert (answer.display_name, answer.phone) == ("Б.Болд", "99112233")
    assert [a.org_id for a in answer.appointments] == [SCHOOL]
    assert "register" not in str(answer.DESCRIPTOR.fields_by_name.keys())
    trail = views.audit_trail(pg_container.uow(), ADMIN, staff_id, date(2024, 10, 1))
    assert [(r.reader_account_id, r.purpose) for r in trail] == [("service:identity", "create teacher account")]


def test_get_staff_without_a_purpose_or_of_nobody_is_refused(pg_container, stub) -> None:
    staff_id = hire(pg_container, *BOLD).staff_id
    with pytest.raises(grpc.RpcError) as no_purpose:
        stub.GetStaff(hr_service_pb2.GetStaffRequest(staff_id=staff_id, caller="identity"))
    assert no_purpose.value.code() == grpc.StatusCode.INVALID_ARGUMENT
    with pytest.raises(grpc.RpcError) as unknown:
        stub.GetStaff(hr_service_pb2.GetStaffRequest(staff_id="nobody", purpose="lookup"))
    assert unknown.value.code() == grpc.StatusCode.NOT_FOUND


def test_list_assignments_of_a_class_as_of_a_date(pg_container, stub) -> None:
    staff_id = hire(pg_container, *BOLD).staff_id
    first = pg_container.bus.handle(commands.AssignTeaching(
        ADMIN, staff_id, "class-5a", "math", "2024-2025", 5, last_day=date(2024, 12, 31))).assignment

    def on(day: date) -> list[str]:
        request = hr_service_pb2.ListAssignmentsRequest(
            class_id="class-5a", as_of=common_pb2.Date(year=day.year, month=day.month, day=day.day))
        return [a.assignment_id for a in stub.ListAssignments(request).assignments]

    assert on(date(2024, 12, 31)) == [first.id]
    assert on(date(2025, 1, 1)) == []
    by_staff = stub.ListAssignments(hr_service_pb2.ListAssignmentsRequest(staff_id=staff_id)).assignments
    assert [(a.subject_code, a.weekly_hours, a.teacher_display_name) for a in by_staff] == [("math", 5, "Б.Болд")]


def test_a_hire_reaches_the_broker_with_cloudevents_headers(pg_container, kafka_bootstrap) -> None:
    ensure_topics(kafka_bootstrap, [("hr.staff.v1", 3)], with_dlq=True)
    staff_id = hire(pg_container, *BOLD).staff_id
    producer = make_producer(kafka_bootstrap)
    try:
        assert OutboxRelay(pg_container.engine, producer, service="hr").run_once() >= 1
    finally:
        producer.close()
    record = _find(kafka_bootstrap, "hr.staff.v1", staff_id)
    headers = {name: value.decode() for name, value in record.headers}
    assert headers["ce_type"] == "esis.hr.v1.StaffHired" and headers["ce_source"] == "hr"
    assert headers["aimag"] == "011" and headers["ce_subject"] == staff_id
    event = hr_events_pb2.StaffHired.FromString(record.value)
    assert (event.org_id, event.position_kind) == (SCHOOL, hr_events_pb2.POSITION_KIND_TEACHER)
    assert b"85031512" not in record.value


def _find(bootstrap: str, topic: str, key: str, timeout_s: float = 15.0):
    client = KafkaConsumer(bootstrap_servers=bootstrap, enable_auto_commit=False, auto_offset_reset="earliest")
    try:
        client.assign([TopicPartition(topic, p) for p in sorted(client.partitions_for_topic(topic) or ())])
        client.seek_to_beginning()
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for records in client.poll(timeout_ms=200).values():
                found = next((r for r in records if r.key == key.encode()), None)
                if found is not None:
                    return found
        raise AssertionError(f"no record with key {key} on {topic}")
    finally:
        client.close()
