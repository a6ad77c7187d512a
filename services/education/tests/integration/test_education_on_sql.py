"""education on real databases: migrations, persistence of every aggregate, the outbox with its aimag header,
and the transfer saga under truly concurrent transactions on PostgreSQL."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from education import reference
from education.adapters import orm
from education.adapters.repository import SqlUnitOfWork
from education.bootstrap import Container
from education.domain.access import Actor, Role
from education.domain.errors import ConcurrentChange, Conflict
from education.domain.timetable import Lesson
from education.domain.transfer import TransferState
from education.service_layer import commands, views
from education.service_layer.handlers.common import Context
from esis.education.v1 import education_events_pb2 as pb
from esis_shared.national_id import Sex
from sqlalchemy import select

pytestmark = pytest.mark.integration
MINISTRY = Actor("ministry-1", Role.MINISTRY)
YEAR = "2024-2025"


def admin(school_id: str) -> Actor:
    return Actor(f"admin-{school_id[:4]}", Role.SCHOOL_ADMIN, org_ids=frozenset({school_id}))


@dataclass
class Schools:
    a: str
    b: str
    class_a: str
    class_b: str


def _schools(c: Container) -> Schools:
    mk = [c.handle(commands.CreateOrgUnit(kind="school", code=code, name_mn=name, parent_id=reference.org_id(soum),
                                          opened_on=date(2000, 9, 1)), MINISTRY)
          for code, name, soum in (("S-1", "1-р сургууль", "6501"), ("S-2", "2-р сургууль", "6503"))]
    c.handle(commands.DefineSchoolYear(2024), MINISTRY)
    classes = [c.handle(commands.OpenClass(school, YEAR, "5", "А", 1, 30, "101"), admin(school)) for school in mk]
    return Schools(mk[0], mk[1], *classes)


def _learner(c: Container, school: str, number: str = "УБ13250224", given: str = "Сарнай") -> str:
    return c.handle(commands.RegisterLearner(school, number, "Бат", given, date(2013, 5, 2), Sex.FEMALE),
                    admin(school))


def _outbox(c: Container) -> list:
    with c.engine.connect() as conn:
        return list(conn.execute(select(orm.outbox).order_by(orm.outbox.c.seq)).mappings())


def test_migrations_match_the_tables(container: Container) -> None:
    with container.engine.connect() as conn:
        assert compare_metadata(MigrationContext.configure(conn), orm.metadata) == []


def test_reference_hierarchy_is_loaded_once(container: Container) -> None:
    from education.service_layer.reference import load_hierarchy
    assert load_hierarchy(container.uow(), with_demo_soums=True) == 0
    _, aimags = views.org_children(container.context(MINISTRY), reference.org_id("MN"))
    assert len(aimags) == 22


def test_enrolment_is_persisted_and_its_event_carries_the_aimag(container: Container) -> None:
    s = _schools(container)
    learner_id = _learner(container, s.a)
    container.handle(commands.EnrolLearner(learner_id, s.class_a), admin(s.a))
    _, roster = views.class_roster(container.context(admin(s.a)), s.class_a, as_of=None, purpose="Ирц")
    assert [x.id for x in roster] == [learner_id] and roster[0].register_number == "УБ13250224"
    enrolled = [r for r in _outbox(container) if r["event_type"] == "esis.education.v1.LearnerEnrolled"]
    [row] = enrolled
    assert (row["topic"], row["key"], row["aimag"]) == ("education.enrolments.v1", learner_id, "65")
    message = pb.LearnerEnrolled.FromString(row["payload"])
    assert (message.class_id, message.school.aimag_code, message.via) == (s.class_a, "65", pb.ENROLMENT_VIA_ADMISSION)


def test_no_event_payload_contains_the_register_number(container: Container) -> None:
    s = _schools(container)
    container.handle(commands.EnrolLearner(_learner(container, s.a), s.class_a), admin(s.a))
    assert all("УБ13250224".encode() not in r["payload"] for r in _outbox(container))


def test_transfer_saga_moves_the_learner_atomically(container: Container) -> None:
    s = _schools(container)
    learner_id = _learner(container, s.a)
    container.handle(commands.EnrolLearner(learner_id, s.class_a), admin(s.a))
    transfer_id = container.handle(commands.RequestTransfer(s.b, learner_id=learner_id), admin(s.a))
    container.handle(commands.ApproveTransfer(transfer_id, s.class_b, date(2024, 10, 7)), admin(s.b))
    record = views.learner_record(container.context(admin(s.b)), learner_id, purpose="Шилжүүлэг")
    assert [(e.class_id, e.ends_on) for e in record.learner.enrolments] == [
        (s.class_a, date(2024, 10, 7)), (s.class_b, None)]
    assert record.transfers[0].state is TransferState.APPROVED
    types = [r["event_type"].rsplit(".", 1)[1] for r in _outbox(container)]
    assert types[-2:] == ["LearnerEnrolled", "TransferApproved"] or types[-2:] == ["TransferApproved",
                                                                                   "LearnerEnrolled"]


def test_timetable_guardians_and_admission_round_trip(container: Container) -> None:
    s = _schools(container)
    subject = container.handle(commands.DefineSubject("MATH", "Математик", "compulsory"), MINISTRY)
    container.handle(commands.SetWeeklyHours(subject, YEAR, "5", 5), MINISTRY)
    container.handle(commands.SaveTimetable(s.class_a, (Lesson(1, 1, subject, "t-1", "101"),)), admin(s.a))
    container.handle(commands.PublishTimetable(s.class_a), admin(s.a))
    assert views.timetable(container.context(admin(s.a)), s.class_a).lessons[0].teacher_id == "t-1"
    learner_id = _learner(container, s.a)
    guardian_id = container.handle(commands.AddGuardian(learner_id, "Бат", "Оюун", "99112233", "mother"), admin(s.a))
    claim = commands.VerifyGuardianClaim("УБ13250224", "Оюун", "99112233", account_id="acc-1")
    assert container.handle(claim, Actor("parent-portal", Role.SERVICE))["guardian_id"] == guardian_id
    app_id = container.handle(commands.SubmitApplication(s.a, learner_id, YEAR, "5"), admin(s.a))
    container.handle(commands.ApproveApplication(app_id, class_id=s.class_a), admin(s.a))
    assert views.admission_queue(container.context(admin(s.a)), s.a)[0].state.value == "approved"


def test_access_log_is_kept(container: Container) -> None:
    s = _schools(container)
    learner_id = _learner(container, s.a)
    views.learner_record(container.context(admin(s.a)), learner_id, purpose="Эцэг эхийн хүсэлт")
    [entry] = views.access_log(container.context(admin(s.a)), learner_id)
    assert (entry.actor_role, entry.purpose) == ("school_admin", "Эцэг эхийн хүсэлт")


def test_census_counts_by_area_and_date(container: Container) -> None:
    s = _schools(container)
    container.handle(commands.EnrolLearner(_learner(container, s.a), s.class_a, date(2024, 9, 1)), admin(s.a))
    census = views.enrolment_census(container.context(MINISTRY), reference.org_id("65"), date(2024, 9, 2))
    assert (census.total, census.by_level) == (1, {"5": 1})


class BarrierUnitOfWork(SqlUnitOfWork):
    """Both transactions have read everything before either writes."""

    def __init__(self, barrier: threading.Barrier, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.barrier = barrier

    def _commit(self, changed, events) -> None:
        self.barrier.wait(timeout=20)
        super()._commit(changed, events)


def _race(c: Container, actor: Actor, *cmds: commands.Command) -> list[object]:
    barrier = threading.Barrier(len(cmds))
    stage = c.bus.uow_factory.args[1]  # type: ignore[attr-defined]

    def run(cmd: commands.Command) -> object:
        ctx = Context(BarrierUnitOfWork(barrier, c.session_factory, stage), actor, c.clock)
        try:
            return c.bus.handlers[type(cmd)](cmd, ctx) or "ok"
        except ConcurrentChange as exc:
            return exc

    with ThreadPoolExecutor(len(cmds)) as pool:
        return list(pool.map(run, cmds))


def test_concurrent_approve_and_reject_exactly_one_wins_on_postgresql(pg_container: Container) -> None:
    c = pg_container
    s = _schools(c)
    learner_id = _learner(c, s.a)
    c.handle(commands.EnrolLearner(learner_id, s.class_a), admin(s.a))
    transfer_id = c.handle(commands.RequestTransfer(s.b, learner_id=learner_id), admin(s.a))
    results = _race(c, admin(s.b), commands.ApproveTransfer(transfer_id, s.class_b),
                    commands.RejectTransfer(transfer_id, "Дүүрсэн"))
    assert sorted(type(r).__name__ for r in results) == ["ConcurrentChange", "str"]
    record = views.learner_record(c.context(MINISTRY), learner_id, purpose="Шалгалт")
    state = record.transfers[0].state
    open_enrolments = [e for e in record.learner.enrolments if e.ends_on is None]
    assert len(open_enrolments) == 1
    expected_school = s.b if state is TransferState.APPROVED else s.a
    assert open_enrolments[0].school_id == expected_school
    decided = [r for r in _outbox(c) if r["event_type"].endswith(("TransferApproved", "TransferRejected"))]
    assert len(decided) == 1


def test_same_register_number_registered_concurrently_is_stored_once(pg_container: Container) -> None:
    c = pg_container
    s = _schools(c)
    cmd = commands.RegisterLearner(s.a, "УБ13250224", "Бат", "Сарнай", date(2013, 5, 2), Sex.FEMALE)
    barrier = threading.Barrier(2)
    stage = c.bus.uow_factory.args[1]  # type: ignore[attr-defined]

    def run(_: int) -> object:
        ctx = Context(BarrierUnitOfWork(barrier, c.session_factory, stage), admin(s.a), c.clock)
        try:
            return c.bus.handlers[commands.RegisterLearner](cmd, ctx)
        except Conflict as exc:
            return exc

    with ThreadPoolExecutor(2) as pool:
        results = list(pool.map(run, range(2)))
    assert sum(isinstance(r, Conflict) for r in results) == 1
    with c.engine.connect() as conn:
        assert len(list(conn.execute(select(orm.learners.c.id)))) == 1
