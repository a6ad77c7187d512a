"""The parent portal's weekly timetable from the real education service, without any service token: the
TimetablePublished event education stages in its outbox (carrying the lessons) fed to parent's consumer, and —
for a portal that never saw the event — education's gRPC GetTimetable read by parent's real client. Both paths
must give the guardian the same week, also while the school edits a new version not yet published."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import grpc
import pytest
from education import reference
from education.bootstrap import bootstrap as education_bootstrap
from education.config import Settings as EducationSettings
from education.domain.access import Actor, Role
from education.domain.timetable import Lesson as EducationLesson
from education.entrypoints.grpc_server import build_grpc_server
from education.service_layer import commands
from education.service_layer.clock import FixedClock
from esis_shared.auth import Principal
from esis_shared.db import make_engine
from esis_shared.national_id import Sex
from esis_shared.registry import TopicRegistry, default_proto_dir
from esis_shared.testing.processes import free_port
from parent.adapters.clients import EducationClient
from parent.bootstrap import Container as ParentContainer
from parent.bootstrap import bootstrap as parent_bootstrap
from parent.config import Settings as ParentSettings
from parent.domain.guardians import Claim
from parent.entrypoints.consumer import build_handlers
from parent.service_layer import views
from parent.service_layer.handlers.claims import ClaimChild, claim_child
from sqlalchemy import text

pytestmark = pytest.mark.integration
MINISTRY = Actor("ministry-1", Role.MINISTRY)
MOTHER = Principal("acc-mother", "parent", name="Оюун")
CLAIM = Claim.of(learner_register_number="УБ14250224", guardian_given_name="Оюун", guardian_phone="99112233")


@pytest.fixture
def education(postgres_url: str) -> Iterator[tuple[grpc.Server, str, dict[str, Any]]]:
    built = education_bootstrap(EducationSettings(database_url=postgres_url, kafka_enabled=False),
                                clock=FixedClock(datetime(2024, 10, 1, 2, 0, tzinfo=UTC)), run_migrations=True)
    school = built.handle(commands.CreateOrgUnit("school", "S-1", "1-р сургууль", reference.org_id("6501"),
                                                 date(2000, 9, 1)), MINISTRY)
    admin = Actor("admin", Role.SCHOOL_ADMIN, org_ids=frozenset({school}))
    built.handle(commands.DefineSchoolYear(2024), MINISTRY)
    math = built.handle(commands.DefineSubject("MATH", "Математик", "compulsory"), MINISTRY)
    mongol = built.handle(commands.DefineSubject("MONG", "Монгол хэл", "compulsory"), MINISTRY)
    for subject in (math, mongol):
        built.handle(commands.SetWeeklyHours(subject, "2024-2025", "5", 5), MINISTRY)
    class_id = built.handle(commands.OpenClass(school, "2024-2025", "5", "А", 1, 30), admin)
    learner = built.handle(commands.RegisterLearner(school, "УБ14250224", "Бат", "Сарнай", date(2014, 5, 2),
                                                    Sex.FEMALE), admin)
    built.handle(commands.EnrolLearner(learner, class_id, date(2024, 9, 2)), admin)
    built.handle(commands.AddGuardian(learner, "Бат", "Оюун", "99112233", "mother"), admin)
    built.handle(commands.SaveTimetable(class_id, (EducationLesson(2, 1, math, "stf-1", "204"),
                                                   EducationLesson(1, 2, mongol, "stf-2"),
                                                   EducationLesson(1, 1, math, "stf-1"))), admin)
    built.handle(commands.PublishTimetable(class_id), admin)
    port = free_port()
    server = build_grpc_server(built, port)
    server.start()
    try:
        yield server, f"127.0.0.1:{port}", {"class": class_id, "postgres_url": postgres_url, "education": built,
                                            "admin": admin, "math": math}
    finally:
        server.stop(0)
        built.close()


def portal(folder: Path, education_target: str) -> ParentContainer:
    """parent on its own SQLite file, talking to the real education over gRPC (claims, learner, timetable)."""
    settings = ParentSettings(database_url=f"sqlite:///{folder / 'parent.db'}", kafka_enabled=False,
                              amqp_enabled=False, grpc_port=None, education_grpc=education_target)
    built = parent_bootstrap(settings, run_migrations=True)
    claim_child(ClaimChild(MOTHER.subject, CLAIM), built.deps)
    return built


def timetable_published_from_outbox(postgres_url: str) -> object:
    registry = TopicRegistry.load(default_proto_dir() / "topics")
    engine = make_engine(postgres_url)
    try:
        with engine.connect() as connection:
            payload = connection.execute(text("SELECT payload FROM outbox WHERE event_type = :t"),
                                         {"t": "esis.education.v1.TimetablePublished"}).scalar_one()
    finally:
        engine.dispose()
    message = registry.message_class("esis.education.v1.TimetablePublished")()
    message.ParseFromString(payload)
    return message


def week_of(built: ParentContainer) -> dict[int, list[tuple[int, str, str]]]:
    return {day: [(x.period, x.subject_code, x.room) for x in lessons]
            for day, lessons in views.timetable(MOTHER, child_id(built), built.deps).items()}


def child_id(built: ParentContainer) -> str:
    [summary] = views.children(MOTHER, built.deps)
    return summary.child.learner_id


EXPECTED = {1: [(1, "MATH", ""), (2, "MONG", "")], 2: [(1, "MATH", "204")]}


def test_the_event_from_educations_outbox_gives_the_guardian_the_week(education, tmp_path: Path) -> None:
    server, target, ids = education
    built = portal(tmp_path, target)
    try:
        message = timetable_published_from_outbox(ids["postgres_url"])
        with built.deps.uow() as uow:
            build_handlers(built.deps)[message.DESCRIPTOR.full_name](uow.session, message, None)
            uow.session.commit()
        server.stop(0)  # the week now comes from the event alone

        assert message.class_id == ids["class"] and message.lessons == 3
        assert week_of(built) == EXPECTED
    finally:
        built.close()


def test_a_portal_that_missed_the_event_reads_the_same_week_over_grpc(education, tmp_path: Path) -> None:
    _, target, _ = education
    built = portal(tmp_path, target)
    try:
        assert isinstance(built.deps.timetable, EducationClient)
        assert week_of(built) == EXPECTED
    finally:
        built.close()


def test_while_the_school_edits_a_new_version_the_guardian_still_sees_the_published_week(education,
                                                                                         tmp_path: Path) -> None:
    _, target, ids = education
    ids["education"].handle(commands.SaveTimetable(ids["class"], (EducationLesson(3, 1, ids["math"], "stf-1"),)),
                            ids["admin"])
    built = portal(tmp_path, target)
    try:
        assert week_of(built) == EXPECTED
    finally:
        built.close()
