"""hr's events on the real broker reach identity's consumer worker on PostgreSQL: a newly assigned teacher signs
in through the API scoped to exactly the classes hr says; an unassignment removes one; a redelivery does nothing."""

from __future__ import annotations

import base64
import json
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from esis.hr.v1 import hr_events_pb2 as hr
from esis_shared.kafka import Envelope, make_producer, publish
from fastapi.testclient import TestClient
from google.protobuf.message import Message
from identity.adapters.orm import outbox
from identity.adapters.passwords import Argon2Hasher
from identity.bootstrap import Container, bootstrap
from identity.config import Settings
from identity.entrypoints.api.app import build_app
from identity.entrypoints.main import consumer_worker
from identity.service_layer.commands import CreateAccount
from sqlalchemy import func, select

pytestmark = pytest.mark.integration
PASSWORD = "Correct-horse-42"
LOGIN = "/api/identity/v1/auth/login"


@pytest.fixture
def container(postgres_url: str, kafka_bootstrap: str, key_file: Path,
              fast_hasher: Argon2Hasher) -> Iterator[Container]:
    settings = Settings(database_url=postgres_url, signing_key_file=str(key_file), kafka_bootstrap=kafka_bootstrap)
    built = bootstrap(settings, hasher=fast_hasher, run_migrations=True)
    yield built
    built.close()


@pytest.fixture
def topics(kafka_topic: Callable[..., str]) -> dict[str, str]:
    """Private stand-ins for hr.staff.v1 and hr.assignments.v1 (one partition each: a deterministic order)."""
    return {"staff": kafka_topic(partitions=1, prefix="hr.staff"),
            "assignments": kafka_topic(partitions=1, prefix="hr.assignments")}


@pytest.fixture
def consuming(container: Container, topics: dict[str, str], kafka_group: str) -> Iterator[None]:
    """identity's consumer worker, as the process runs it, on the private topics."""
    worker = consumer_worker(container, topics=tuple(topics.values()), group_id=kafka_group)
    stop = threading.Event()
    thread = threading.Thread(target=worker, args=(stop,), daemon=True)
    thread.start()
    yield
    stop.set()
    thread.join(timeout=15)


class Hr:
    """Publishes hr's events the way hr's relay does (CloudEvents headers, key = aggregate id)."""

    def __init__(self, bootstrap_servers: str, topics: dict[str, str]) -> None:
        self.producer = make_producer(bootstrap_servers)
        self.topics = topics

    def publish(self, stream: str, key: str, message: Message) -> Envelope:
        envelope = Envelope.for_message(message, source="hr", topic=self.topics[stream], key=key)
        return self.publish_again(envelope)

    def publish_again(self, envelope: Envelope) -> Envelope:
        publish(self.producer, envelope).get(timeout=20)
        return envelope

    def assign(self, assignment: str, class_id: str) -> Envelope:
        return self.publish("assignments", assignment, hr.TeachingAssigned(
            assignment_id=assignment, staff_id="stf-1", class_id=class_id, org_id="school-1", subject_code="math",
            school_year="2024-2025", weekly_hours=4))


@pytest.fixture
def hr_events(kafka_bootstrap: str, topics: dict[str, str]) -> Iterator[Hr]:
    publisher = Hr(kafka_bootstrap, topics)
    yield publisher
    publisher.producer.close()


def classes_on_sign_in(client: TestClient, username: str) -> list[str]:
    """The ``cls`` claim of the access token a sign-in through the API gets."""
    answer = client.post(LOGIN, json={"username": username, "password": PASSWORD})
    assert answer.status_code == 200, answer.text
    payload = answer.json()["access_token"].split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["cls"]


def eventually(read: Callable[[], Any], expected: Any, timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    seen = read()
    while seen != expected and time.monotonic() < deadline:
        time.sleep(0.3)
        seen = read()
    assert seen == expected, f"still {seen!r} after {timeout_s} s"


def scopes_changed_count(container: Container) -> int:
    with container.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(outbox).where(
            outbox.c.event_type == "esis.identity.v1.AccountScopesChanged")).scalar_one()


@pytest.mark.usefixtures("consuming")
def test_a_newly_assigned_teacher_signs_in_scoped_to_exactly_the_classes_hr_assigned(
        container: Container, hr_events: Hr) -> None:
    teacher = container.handle(CreateAccount(None, "b.saruul", PASSWORD, "teacher", org_ids=["school-1"],
                                             class_ids=["class-set-by-admin"]))
    hr_events.publish("staff", "stf-1", hr.StaffHired(
        staff_id="stf-1", appointment_id="apt-1", org_id="school-1", position_kind=hr.POSITION_KIND_TEACHER))
    hr_events.publish("staff", "stf-1", hr.StaffAccountLinked(staff_id="stf-1", account_id=teacher.id))
    hr_events.assign("asg-1", "class-5a")
    second = hr_events.assign("asg-2", "class-6b")

    with TestClient(build_app(container)) as client:
        eventually(lambda: classes_on_sign_in(client, "b.saruul"), ["class-5a", "class-6b"])

        hr_events.publish("assignments", "asg-2", hr.TeachingUnassigned(
            assignment_id="asg-2", staff_id="stf-1", class_id="class-6b", org_id="school-1",
            reason=hr.UNASSIGN_REASON_REASSIGNED))
        eventually(lambda: classes_on_sign_in(client, "b.saruul"), ["class-5a"])
        changes = scopes_changed_count(container)

        hr_events.publish_again(second)  # the relay published it twice (a crash between publish and mark)
        hr_events.assign("asg-3", "class-7c")  # consumed after the duplicate: its effect shows the duplicate's
        eventually(lambda: classes_on_sign_in(client, "b.saruul"), ["class-5a", "class-7c"])

    assert scopes_changed_count(container) == changes + 1
