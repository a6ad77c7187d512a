"""hr's staff and teaching facts and parent's child links reach the accounts: what the next sign-in's token says.

Events go through the platform's real processor (decode, deduplicate, handle in one transaction) on SQLite, each
test twice: with the per-event handlers and with the batch handlers the consumer runs (here given one event at a
time; runs of many events are compared with one by one in tests/integration/test_batched_scopes.py).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from esis.common.v1 import common_pb2
from esis.hr.v1 import hr_events_pb2 as hr
from esis.parent.v1 import parent_events_pb2 as parent
from esis_shared.consumer import EventProcessor, Outcome, default_resolver
from esis_shared.db import make_engine
from esis_shared.kafka import Envelope
from esis_shared.testing.fake_kafka import FakeRecord
from google.protobuf.message import Message
from identity.adapters.orm import metadata
from identity.adapters.passwords import Argon2Hasher
from identity.bootstrap import Container, bootstrap
from identity.config import Settings
from identity.entrypoints.consumer import build_batch_handlers, build_handlers
from identity.entrypoints.main import background_workers
from sqlalchemy.pool import StaticPool

Clock = Callable[[], datetime]
Seeder = Callable[..., Any]  # the seed fixture of conftest.py
Staged = list[tuple[str, str, Any]]
PASSWORD = "Correct-horse-42"  # the seed fixture's password
SCOPES_CHANGED = "esis.identity.v1.AccountScopesChanged"


class Delivery:
    """Delivers events to identity's handlers as the Kafka consumer would; remembers them for redelivery."""

    def __init__(self, container: Container, clock: Clock, *, batch: bool) -> None:
        self.dead: list[BaseException] = []
        handlers, batch_handlers = ({}, build_batch_handlers(clock)) if batch else (build_handlers(clock), None)
        self.processor = EventProcessor(group_id="identity", session_factory=container.sessions,
                                        handlers=handlers, batch_handlers=batch_handlers,
                                        resolve=default_resolver, dead_letter=lambda _, error: self.dead.append(error))
        self.offset = 0

    def __call__(self, message: Message) -> Envelope:
        """Deliver ``message`` as a new event."""
        return self.again(Envelope.for_message(message, source="hr", topic="hr.test.v1", key="key"))

    def again(self, envelope: Envelope) -> Envelope:
        """Deliver an event (an earlier one: the same event id again)."""
        self.offset += 1
        record = FakeRecord("hr.test.v1", 0, self.offset, b"key", envelope.value, envelope.headers())
        self.last = self.processor.process(record)
        assert not self.dead, f"dead-lettered: {self.dead}"
        return envelope


@pytest.fixture(params=["per-event", "batch"])
def deliver(request: pytest.FixtureRequest, container: Container, clock: Clock) -> Delivery:
    return Delivery(container, clock, batch=request.param == "batch")


def token_claims(container: Container, username: str) -> dict[str, Any]:
    """The claims of the access token a fresh sign-in gets."""
    payload = container.login(username, PASSWORD).access_token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


def pb_date(day: date) -> common_pb2.Date:
    return common_pb2.Date(year=day.year, month=day.month, day=day.day)


def hired(staff: str, appointment: str, org: str) -> hr.StaffHired:
    return hr.StaffHired(staff_id=staff, appointment_id=appointment, org_id=org, position_id="pos-1",
                         position_kind=hr.POSITION_KIND_TEACHER, fte_percent=100)


def linked(staff: str, account: str) -> hr.StaffAccountLinked:
    return hr.StaffAccountLinked(staff_id=staff, account_id=account)


def assigned(assignment: str, staff: str, class_id: str, org: str = "school-1",
             last_day: date | None = None) -> hr.TeachingAssigned:
    message = hr.TeachingAssigned(assignment_id=assignment, staff_id=staff, class_id=class_id, org_id=org,
                                  subject_code="math", school_year="2024-2025", weekly_hours=4)
    if last_day is not None:
        message.last_day.CopyFrom(pb_date(last_day))
    return message


def unassigned(assignment: str, staff: str, class_id: str, org: str = "school-1") -> hr.TeachingUnassigned:
    return hr.TeachingUnassigned(assignment_id=assignment, staff_id=staff, class_id=class_id, org_id=org,
                                 subject_code="math", school_year="2024-2025",
                                 reason=hr.UNASSIGN_REASON_REASSIGNED)


@pytest.fixture
def teacher(seed: Seeder, deliver: Delivery) -> Any:
    """Teacher b.saruul, created by an administrator with a class of her own choosing, hired at school-1."""
    account = seed("b.saruul", "teacher", orgs=("school-1",), classes=("class-set-by-admin",))
    deliver(hired("stf-1", "apt-1", "school-1"))
    return account


def test_a_linked_teacher_assigned_two_classes_signs_in_scoped_to_exactly_those(
        container: Container, teacher: Any, deliver: Delivery, staged: Callable[..., Staged]) -> None:
    deliver(linked("stf-1", teacher.id))
    deliver(assigned("asg-1", "stf-1", "class-5a"))
    deliver(assigned("asg-2", "stf-1", "class-6b"))

    claims = token_claims(container, "b.saruul")
    assert (claims["cls"], claims["org"]) == (["class-5a", "class-6b"], ["school-1"])
    _, key, message = staged(SCOPES_CHANGED)[-1]
    assert (key, list(message.class_ids), message.actor_account_id) == (teacher.id, ["class-5a", "class-6b"], "")


def test_assignments_recorded_before_the_link_apply_once_the_account_is_linked(
        container: Container, teacher: Any, deliver: Delivery) -> None:
    deliver(assigned("asg-1", "stf-1", "class-5a"))
    assert token_claims(container, "b.saruul")["cls"] == ["class-set-by-admin"]

    deliver(linked("stf-1", teacher.id))
    assert token_claims(container, "b.saruul")["cls"] == ["class-5a"]


def test_an_unassigned_class_leaves_the_token_while_the_school_stays(
        container: Container, teacher: Any, deliver: Delivery) -> None:
    deliver(linked("stf-1", teacher.id))
    deliver(assigned("asg-1", "stf-1", "class-5a"))
    deliver(unassigned("asg-1", "stf-1", "class-5a"))

    claims = token_claims(container, "b.saruul")
    assert (claims["cls"], claims["org"]) == ([], ["school-1"])


def test_a_duplicate_delivery_changes_nothing(
        container: Container, teacher: Any, deliver: Delivery, staged: Callable[..., Staged]) -> None:
    deliver(linked("stf-1", teacher.id))
    first = deliver(assigned("asg-1", "stf-1", "class-5a"))
    deliver(unassigned("asg-1", "stf-1", "class-5a"))
    events_before = len(staged(SCOPES_CHANGED))

    deliver.again(first)

    assert deliver.last is Outcome.DUPLICATE
    assert token_claims(container, "b.saruul")["cls"] == []
    assert len(staged(SCOPES_CHANGED)) == events_before


def test_an_assignment_announced_again_after_it_ended_does_not_bring_the_class_back(
        container: Container, teacher: Any, deliver: Delivery) -> None:
    deliver(linked("stf-1", teacher.id))
    deliver(unassigned("asg-1", "stf-1", "class-5a"))  # "ended" overtook "assigned"
    deliver(assigned("asg-1", "stf-1", "class-5a"))
    assert token_claims(container, "b.saruul")["cls"] == []


def test_an_assignment_whose_last_day_has_passed_gives_no_class(
        container: Container, clock: Clock, teacher: Any, deliver: Delivery) -> None:
    deliver(linked("stf-1", teacher.id))
    deliver(assigned("asg-old", "stf-1", "class-4a", last_day=clock().date() - timedelta(days=1)))
    deliver(assigned("asg-now", "stf-1", "class-5a", last_day=clock().date()))
    assert token_claims(container, "b.saruul")["cls"] == ["class-5a"]


def test_a_transferred_teacher_reaches_the_new_school_and_not_the_old_one(
        container: Container, teacher: Any, deliver: Delivery) -> None:
    deliver(linked("stf-1", teacher.id))
    deliver(assigned("asg-1", "stf-1", "class-5a"))
    deliver(hr.StaffMoved(staff_id="stf-1", kind=hr.MOVE_KIND_TRANSFER, from_appointment_id="apt-1",
                          to_appointment_id="apt-2", from_org_id="school-1", to_org_id="school-2"))
    deliver(replace_reason(unassigned("asg-1", "stf-1", "class-5a")))

    claims = token_claims(container, "b.saruul")
    assert (claims["org"], claims["cls"]) == (["school-2"], [])


def replace_reason(message: hr.TeachingUnassigned) -> hr.TeachingUnassigned:
    message.reason = hr.UNASSIGN_REASON_STAFF_LEFT
    return message


def test_a_teacher_who_left_every_school_signs_in_reaching_nothing(
        container: Container, teacher: Any, deliver: Delivery) -> None:
    deliver(linked("stf-1", teacher.id))
    deliver(assigned("asg-1", "stf-1", "class-5a"))
    deliver(hr.StaffExited(staff_id="stf-1", org_id="school-1", reason=hr.EXIT_REASON_RESIGNED,
                           appointment_ids=["apt-1"]))
    deliver(replace_reason(unassigned("asg-1", "stf-1", "class-5a")))

    claims = token_claims(container, "b.saruul")
    assert (claims["org"], claims["cls"]) == ([], [])


def test_linking_the_staff_record_to_another_account_takes_the_classes_from_the_first(
        container: Container, seed: Seeder, teacher: Any, deliver: Delivery) -> None:
    other = seed("d.tuya", "teacher", orgs=("school-1",))
    deliver(linked("stf-1", teacher.id))
    deliver(assigned("asg-1", "stf-1", "class-5a"))
    deliver(linked("stf-1", other.id))

    assert token_claims(container, "b.saruul")["cls"] == []
    assert token_claims(container, "d.tuya")["cls"] == ["class-5a"]


def test_hr_facts_leave_a_linked_school_admin_account_as_it_is(
        container: Container, seed: Seeder, deliver: Delivery, staged: Callable[..., Staged]) -> None:
    director = seed("director", "school_admin", orgs=("school-1",))
    deliver(hired("stf-9", "apt-9", "school-2"))
    deliver(linked("stf-9", director.id))

    assert token_claims(container, "director")["org"] == ["school-1"]
    assert staged(SCOPES_CHANGED) == []


def test_a_link_to_an_account_identity_does_not_know_is_absorbed(
        deliver: Delivery, staged: Callable[..., Staged]) -> None:
    deliver(linked("stf-1", "no-such-account"))
    deliver(assigned("asg-1", "stf-1", "class-5a"))
    assert deliver.last is Outcome.PROCESSED
    assert staged(SCOPES_CHANGED) == []


def test_child_links_from_the_parent_portal_follow_the_parent_account(
        container: Container, seed: Seeder, deliver: Delivery) -> None:
    mother = seed("mother", "parent", orgs=("school-1",), children=("lrn-1",))
    deliver(parent.ChildLinked(account_id=mother.id, learner_id="lrn-2", relationship="mother"))
    assert token_claims(container, "mother")["chd"] == ["lrn-1", "lrn-2"]

    deliver(parent.ChildUnlinked(account_id=mother.id, learner_id="lrn-1",
                                 reason=parent.UNLINK_REASON_REVOKED_BY_SCHOOL))
    assert token_claims(container, "mother")["chd"] == ["lrn-2"]


def test_a_child_link_naming_a_teacher_account_gives_it_no_children(
        container: Container, teacher: Any, deliver: Delivery) -> None:
    deliver(parent.ChildLinked(account_id=teacher.id, learner_id="lrn-1"))
    assert token_claims(container, "b.saruul")["chd"] == []


def test_the_process_consumes_events_beside_the_relay_when_a_broker_is_configured(
        key_file: Path, fast_hasher: Argon2Hasher) -> None:
    for enabled, names in ((True, ["outbox-relay", "event-consumer"]), (False, [])):
        settings = Settings(database_url="sqlite://", signing_key_file=str(key_file), kafka_enabled=enabled,
                            amqp_enabled=False)
        engine = make_engine("sqlite://", poolclass=StaticPool)
        metadata.create_all(engine)
        built = bootstrap(settings, engine=engine, hasher=fast_hasher)
        try:
            assert [w.__name__ for w in background_workers(built)] == names
        finally:
            built.close()

