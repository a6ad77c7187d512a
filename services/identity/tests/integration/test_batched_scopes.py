"""identity's batch handlers (what its consumer runs) on SQLite and PostgreSQL: a mixed stream of hr's staff and
teaching facts and parent's child links, with redeliveries, delivered in two polled batches, ends in the same state
as the same records handled one by one with the per-event handlers: accounts' scopes, hr's facts as identity
keeps them, and the scopes the last ``AccountScopesChanged`` of each account announces.

Both runs share one database, each with its own accounts, staff and assignment ids (prefix ``a-`` or ``b-``).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from esis.common.v1 import common_pb2
from esis.hr.v1 import hr_events_pb2 as hr
from esis.identity.v1 import identity_events_pb2 as pb
from esis.parent.v1 import parent_events_pb2 as parent
from esis_shared.consumer import EventProcessor, Outcome, default_resolver
from esis_shared.kafka import Envelope
from esis_shared.testing.fake_kafka import FakeRecord
from google.protobuf.message import Message
from identity.adapters.orm import (
    account_scopes,
    accounts,
    outbox,
    staff_accounts,
    staff_appointments,
    teaching_assignments,
)
from identity.adapters.passwords import Argon2Hasher
from identity.bootstrap import Container, bootstrap
from identity.config import Settings
from identity.entrypoints.consumer import build_batch_handlers, build_handlers
from identity.service_layer.commands import CreateAccount
from sqlalchemy import select

pytestmark = pytest.mark.integration
PASSWORD = "Correct-horse-42"
SCOPES_CHANGED = "esis.identity.v1.AccountScopesChanged"
TODAY = date.today()


@pytest.fixture
def container(sql_url: str, key_file: Path, fast_hasher: Argon2Hasher) -> Iterator[Container]:
    """identity on a SQLite file, then on a fresh PostgreSQL database (migrated as in production)."""
    settings = Settings(database_url=sql_url, signing_key_file=str(key_file), kafka_enabled=False,
                        amqp_enabled=False)
    built = bootstrap(settings, hasher=fast_hasher, run_migrations=True)
    yield built
    built.close()


def pb_date(day: date) -> common_pb2.Date:
    return common_pb2.Date(year=day.year, month=day.month, day=day.day)


def stream(ns: str, account: dict[str, str]) -> list[tuple[str, Message]]:
    """(topic, message) of the scenario; staff, appointment and assignment ids carry the run's prefix."""
    s, a, g = (lambda x: f"{ns}-stf-{x}"), (lambda x: f"{ns}-apt-{x}"), (lambda x: f"{ns}-asg-{x}")

    def hired(staff: int, appointment: int, org: str) -> tuple[str, Message]:
        return "hr.staff.v1", hr.StaffHired(staff_id=s(staff), appointment_id=a(appointment), org_id=org,
                                            position_kind=hr.POSITION_KIND_TEACHER, fte_percent=100)

    def linked(staff: int, username: str) -> tuple[str, Message]:
        return "hr.staff.v1", hr.StaffAccountLinked(staff_id=s(staff), account_id=account.get(username, username))

    def assigned(assignment: int, staff: int, class_id: str, org: str = "school-1",
                 last_day: date | None = None) -> tuple[str, Message]:
        message = hr.TeachingAssigned(assignment_id=g(assignment), staff_id=s(staff), class_id=class_id, org_id=org,
                                      subject_code="math", school_year="2024-2025", weekly_hours=4)
        if last_day is not None:
            message.last_day.CopyFrom(pb_date(last_day))
        return "hr.assignments.v1", message

    def unassigned(assignment: int, staff: int, class_id: str, org: str = "school-1") -> tuple[str, Message]:
        return "hr.assignments.v1", hr.TeachingUnassigned(
            assignment_id=g(assignment), staff_id=s(staff), class_id=class_id, org_id=org,
            reason=hr.UNASSIGN_REASON_REASSIGNED)

    def child(linked_: bool, learner: str) -> tuple[str, Message]:
        if linked_:
            return "parent.guardians.v1", parent.ChildLinked(account_id=account["mother"], learner_id=learner)
        return "parent.guardians.v1", parent.ChildUnlinked(account_id=account["mother"], learner_id=learner,
                                                           reason=parent.UNLINK_REASON_REVOKED_BY_SCHOOL)

    return [
        hired(1, 1, "school-1"),
        assigned(1, 1, "class-5a"),  # before the link
        linked(1, "saruul"),
        assigned(2, 1, "class-6b"),
        unassigned(3, 1, "class-7c"),  # overtook its "assigned"
        # -- second batch
        assigned(3, 1, "class-7c"),
        assigned(4, 1, "class-4a", last_day=TODAY - timedelta(days=1)),
        assigned(5, 1, "class-9a", last_day=TODAY),
        hired(2, 2, "school-2"),
        linked(2, "tuya"),
        assigned(6, 2, "class-8a", org="school-2"),
        child(True, "lrn-2"),
        child(False, "lrn-1"),
        child(True, "lrn-3"),
        hr.StaffMoved(staff_id=s(1), kind=hr.MOVE_KIND_TRANSFER, from_appointment_id=a(1), to_appointment_id=a(3),
                      from_org_id="school-1", to_org_id="school-3"),
        unassigned(1, 1, "class-5a"),
        linked(2, "saruul"),  # stf-2's record now signs in as saruul: tuya loses class-8a
        hired(3, 4, "school-4"),
        linked(3, "tuya"),
        assigned(7, 3, "class-10b", org="school-4"),
        hr.StaffExited(staff_id=s(2), org_id="school-2", reason=hr.EXIT_REASON_RESIGNED, appointment_ids=[a(2)]),
        unassigned(6, 2, "class-8a", org="school-2"),
        child(False, "lrn-3"),
        hired(9, 9, "school-2"),
        linked(9, "director"),  # a school admin: hr does not scope it
        linked(8, "no-such-account"),
        assigned(8, 8, "class-11a"),
    ]


def records(ns: str, account: dict[str, str]) -> list[list[FakeRecord]]:
    """The scenario as two polled batches; the second also redelivers events of the first and of itself."""
    envelopes = []
    for item in stream(ns, account):
        topic, message = item if isinstance(item, tuple) else ("hr.staff.v1", item)
        envelopes.append((topic, Envelope.for_message(message, source="test", topic=topic, key="key")))
    order = list(range(5)) + [None] + [5, 6, 2, 7, 8, 9, 9, 10, 11, 12, 13, 3, 14, 15, 16, 17, 18, 17, 19, 20, 21,
                                       22, 23, 24, 4, 25, 26, 1]
    batches: list[list[FakeRecord]] = [[]]
    for offset, index in enumerate(order):
        if index is None:
            batches.append([])
            continue
        topic, envelope = envelopes[index]
        batches[-1].append(FakeRecord(topic, 0, offset, b"key", envelope.value, envelope.headers()))
    return batches


def seed(container: Container, ns: str) -> dict[str, str]:
    """The run's accounts (username ``<ns>.<name>``); returns their ids by name."""
    made = {
        "saruul": CreateAccount(None, f"{ns}.saruul", PASSWORD, "teacher", org_ids=["school-1"],
                                class_ids=["class-set-by-admin"]),
        "tuya": CreateAccount(None, f"{ns}.tuya", PASSWORD, "teacher", org_ids=["school-1"]),
        "director": CreateAccount(None, f"{ns}.director", PASSWORD, "school_admin", org_ids=["school-1"]),
        "mother": CreateAccount(None, f"{ns}.mother", PASSWORD, "parent", org_ids=["school-1"],
                                child_ids=["lrn-1"]),
    }
    return {name: container.handle(command).id for name, command in made.items()}


def processor(container: Container, *, batch: bool, dead: list[BaseException]) -> EventProcessor:
    handlers, batch_handlers = ({}, build_batch_handlers()) if batch else (build_handlers(), None)
    return EventProcessor(group_id="identity", session_factory=container.sessions, handlers=handlers,
                          batch_handlers=batch_handlers, resolve=default_resolver,
                          dead_letter=lambda _, error: dead.append(error))


def state(container: Container, ns: str, account: dict[str, str]) -> dict[str, Any]:
    """What the run left: scopes by account name, hr's facts with the prefix stripped and accounts by name, and
    the scopes announced last for each account."""
    name_of = {account_id: name for name, account_id in account.items()}

    def local(value: str) -> str:
        return name_of.get(value, value.removeprefix(f"{ns}-"))

    with container.engine.connect() as conn:
        scopes: dict[str, set[tuple[str, str]]] = {name: set() for name in account}
        for username, kind, scope_id in conn.execute(
                select(accounts.c.username, account_scopes.c.kind, account_scopes.c.scope_id)
                .join(account_scopes, account_scopes.c.account_id == accounts.c.id)
                .where(accounts.c.id.in_(list(account.values())))):
            scopes[username.removeprefix(f"{ns}.")].add((kind, scope_id))
        facts = {table.name: sorted(tuple(local(str(v)) for v in row) for row in conn.execute(
            select(table).where(table.c.staff_id.like(f"{ns}-%"))))
            for table in (staff_accounts, staff_appointments, teaching_assignments)}
    announced = {}
    for _, key, message in read_outbox(container, SCOPES_CHANGED):
        if key in name_of:
            announced[name_of[key]] = (sorted(message.org_ids), sorted(message.class_ids), sorted(message.child_ids))
    return {"scopes": scopes, "facts": facts, "announced": announced}


def read_outbox(container: Container, event_type: str) -> list[tuple[str, str, Any]]:
    """(event type, key, decoded message) of the outbox rows of ``event_type``, in order."""
    with container.engine.connect() as conn:
        rows = conn.execute(select(outbox.c.event_type, outbox.c.key, outbox.c.payload)
                            .where(outbox.c.event_type == event_type).order_by(outbox.c.seq)).all()
    return [(kind, key, pb.AccountScopesChanged.FromString(payload)) for kind, key, payload in rows]


def run(container: Container, ns: str, *, batch: bool) -> tuple[dict[str, Any], list[Outcome]]:
    account = seed(container, ns)
    dead: list[BaseException] = []
    events = processor(container, batch=batch, dead=dead)
    outcomes: list[Outcome] = []
    for polled in records(ns, account):
        if batch:
            result = events.process_batch(polled)
            assert result.error is None, result.error
            outcomes += result.outcomes
        else:
            outcomes += [events.process(record) for record in polled]
    assert dead == []
    return state(container, ns, account), outcomes


def test_a_mixed_batch_with_redeliveries_ends_as_one_by_one(container: Container) -> None:
    one_by_one, outcomes_a = run(container, "a", batch=False)
    batched, outcomes_b = run(container, "b", batch=True)

    assert batched == one_by_one
    assert outcomes_b == outcomes_a
    assert outcomes_b.count(Outcome.DUPLICATE) == 6
    # What a user would notice: saruul is appointed at school-3 (moved) and still teaches 6b and 9a at school-1
    # (7c ended before it was announced, 4a's last day has passed, stf-2's school-2 post and class ended);
    # tuya reaches only stf-3's school and class; the director and the mother as the rules say.
    assert batched["scopes"]["saruul"] == {("org", "school-1"), ("org", "school-3"), ("class", "class-6b"),
                                           ("class", "class-9a")}
    assert batched["scopes"]["tuya"] == {("org", "school-4"), ("class", "class-10b")}
    assert batched["scopes"]["director"] == {("org", "school-1")}
    assert batched["scopes"]["mother"] == {("org", "school-1"), ("child", "lrn-2")}
    assert batched["announced"]["saruul"] == (["school-1", "school-3"], ["class-6b", "class-9a"], [])
    assert "director" not in batched["announced"]
