"""The gRPC service on a real port: learners, rosters as of a date, census, guardian claims and the published
timetable (also across migration 0003), on SQLite and PostgreSQL where the test says nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

import grpc
import pytest
from alembic import command
from education import reference
from education.bootstrap import MIGRATIONS_DIR, Container
from education.domain.access import Actor, Role
from education.domain.timetable import Lesson
from education.entrypoints.grpc_server import build_grpc_server
from education.service_layer import commands, views
from esis.common.v1 import common_pb2
from esis.education.v1 import education_events_pb2 as events_pb
from esis.education.v1 import education_service_pb2 as pb
from esis.education.v1 import education_service_pb2_grpc as pb_grpc
from esis_shared.db import alembic_config
from esis_shared.national_id import Sex
from esis_shared.testing.processes import free_port
from sqlalchemy import inspect

pytestmark = pytest.mark.integration
MINISTRY = Actor("ministry-1", Role.MINISTRY)
CALLER = (("x-esis-caller", "parent"),)


@pytest.fixture
def stub(container: Container) -> Iterator[pb_grpc.EducationServiceStub]:
    port = free_port()
    server = build_grpc_server(container, port)
    server.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    yield pb_grpc.EducationServiceStub(channel)
    channel.close()
    server.stop(0)


@pytest.fixture
def enrolled(container: Container) -> dict[str, str]:
    school = container.handle(commands.CreateOrgUnit("school", "S-1", "1-р сургууль", reference.org_id("6501"),
                                                     date(2000, 9, 1)), MINISTRY)
    admin = Actor("admin", Role.SCHOOL_ADMIN, org_ids=frozenset({school}))
    container.handle(commands.DefineSchoolYear(2024), MINISTRY)
    class_id = container.handle(commands.OpenClass(school, "2024-2025", "5", "А", 1, 30), admin)
    learner = container.handle(commands.RegisterLearner(school, "УБ13250224", "Бат", "Сарнай", date(2013, 5, 2),
                                                        Sex.FEMALE), admin)
    container.handle(commands.EnrolLearner(learner, class_id, date(2024, 9, 2)), admin)
    container.handle(commands.AddGuardian(learner, "Бат", "Оюун", "99112233", "mother"), admin)
    return {"school": school, "class": class_id, "learner": learner, "admin": admin}


@pytest.mark.parametrize("sql_url", ["sqlite"], indirect=True)
def test_get_learner_is_written_to_the_access_log(stub, container: Container, enrolled) -> None:
    found = stub.GetLearner(pb.GetLearnerRequest(learner_id=enrolled["learner"], purpose="Эцэг эхийн апп"),
                            metadata=CALLER)
    assert (found.given_name, found.class_id, found.sex) == ("Сарнай", enrolled["class"], events_pb.SEX_FEMALE)
    [entry] = views.access_log(container.context(MINISTRY), enrolled["learner"])
    assert (entry.actor_id, entry.purpose) == ("grpc:parent", "Эцэг эхийн апп")


@pytest.mark.parametrize("sql_url", ["sqlite"], indirect=True)
def test_unknown_learner_is_not_found(stub, enrolled) -> None:
    with pytest.raises(grpc.RpcError) as info:
        stub.GetLearner(pb.GetLearnerRequest(learner_id="nobody", purpose="x"), metadata=CALLER)
    assert info.value.code() is grpc.StatusCode.NOT_FOUND


@pytest.mark.parametrize("sql_url", ["sqlite"], indirect=True)
def test_roster_as_of_a_date_before_enrolment_is_empty(stub, enrolled) -> None:
    before = stub.GetClassRoster(pb.GetClassRosterRequest(class_id=enrolled["class"], purpose="Ирц",
                                                          as_of=common_pb2.Date(year=2024, month=9, day=1)))
    after = stub.GetClassRoster(pb.GetClassRosterRequest(class_id=enrolled["class"], purpose="Ирц"))
    assert len(before.learners) == 0 and [x.learner_id for x in after.learners] == [enrolled["learner"]]
    assert after.name == "5А"


@pytest.mark.parametrize("sql_url", ["sqlite"], indirect=True)
def test_census_of_the_aimag(stub, enrolled) -> None:
    census = stub.GetEnrolmentCensus(pb.GetEnrolmentCensusRequest(org_id=reference.org_id("65")))
    assert census.total == 1
    assert [(c.level, c.sex, c.learners) for c in census.cells] == [("5", events_pb.SEX_FEMALE, 1)]


@pytest.mark.parametrize("sql_url", ["sqlite"], indirect=True)
def test_guardian_claim_matches_only_with_recorded_data(stub, enrolled) -> None:
    miss = stub.VerifyGuardianClaim(pb.VerifyGuardianClaimRequest(
        learner_register_number="УБ13250224", guardian_given_name="Оюун", guardian_phone="88000000"))
    hit = stub.VerifyGuardianClaim(pb.VerifyGuardianClaimRequest(
        learner_register_number="УБ13250224", guardian_given_name="Оюун", guardian_phone="9911 2233",
        account_id="acc-1"))
    assert not miss.matched and miss.learner_id == ""
    assert hit.matched and hit.learner_id == enrolled["learner"]
    assert hit.relationship == events_pb.RELATIONSHIP_MOTHER


@pytest.mark.parametrize("sql_url", ["sqlite"], indirect=True)
def test_malformed_claim_register_number_is_invalid_argument(stub, enrolled) -> None:
    with pytest.raises(grpc.RpcError) as info:
        stub.VerifyGuardianClaim(pb.VerifyGuardianClaimRequest(learner_register_number="12", guardian_given_name="О"))
    assert info.value.code() is grpc.StatusCode.INVALID_ARGUMENT


def _timetable_of(container: Container, enrolled: dict) -> str:
    math = container.handle(commands.DefineSubject("MATH", "Математик", "compulsory"), MINISTRY)
    container.handle(commands.SetWeeklyHours(math, "2024-2025", "5", 5), MINISTRY)
    container.handle(commands.SaveTimetable(enrolled["class"], (Lesson(2, 1, math, "stf-2", "204"),
                                                                Lesson(1, 3, math, "stf-1"))), enrolled["admin"])
    return math


@pytest.mark.parametrize("sql_url", ["sqlite"], indirect=True)
def test_timetable_shows_the_published_lessons_only(stub, container: Container, enrolled) -> None:
    math = _timetable_of(container, enrolled)
    draft = stub.GetTimetable(pb.GetTimetableRequest(class_id=enrolled["class"]), metadata=CALLER)
    container.handle(commands.PublishTimetable(enrolled["class"]), enrolled["admin"])
    published = stub.GetTimetable(pb.GetTimetableRequest(class_id=enrolled["class"]), metadata=CALLER)

    assert not draft.published and list(draft.lessons) == []
    assert (published.published, published.school.org_id, published.year_id) == (True, enrolled["school"],
                                                                                 "2024-2025")
    assert [(x.day, x.period, x.subject_id, x.subject_code, x.teacher_id, x.room) for x in published.lessons] == [
        (1, 3, math, "MATH", "stf-1", ""), (2, 1, math, "MATH", "stf-2", "204")]


def _week(stub, class_id: str) -> tuple[bool, list[tuple[int, int, str, str, str]]]:
    found = stub.GetTimetable(pb.GetTimetableRequest(class_id=class_id), metadata=CALLER)
    return found.published, [(x.day, x.period, x.subject_code, x.teacher_id, x.room) for x in found.lessons]


PUBLISHED_WEEK = [(1, 3, "MATH", "stf-1", ""), (2, 1, "MATH", "stf-2", "204")]


def test_while_the_school_edits_a_draft_the_last_published_week_is_answered(stub, container: Container,
                                                                             enrolled) -> None:
    math = _timetable_of(container, enrolled)
    container.handle(commands.PublishTimetable(enrolled["class"]), enrolled["admin"])
    container.handle(commands.SaveTimetable(enrolled["class"], (Lesson(4, 4, math, "stf-9", "301"),)),
                     enrolled["admin"])
    while_editing = _week(stub, enrolled["class"])
    editor = views.timetable(container.context(enrolled["admin"]), enrolled["class"])
    container.handle(commands.PublishTimetable(enrolled["class"]), enrolled["admin"])

    assert while_editing == (True, PUBLISHED_WEEK)
    assert [(x.day, x.period, x.teacher_id) for x in editor.lessons] == [(4, 4, "stf-9")] and not editor.published
    assert _week(stub, enrolled["class"]) == (True, [(4, 4, "MATH", "stf-9", "301")])


def test_migration_0003_keeps_the_published_week_of_timetables_on_record(stub, container: Container, enrolled,
                                                                           sql_url: str) -> None:
    """A database from before the published store: a published timetable keeps its week, one being edited gets
    the week of its latest TimetablePublished event in the outbox; downgrading and upgrading again is lossless."""
    math = _timetable_of(container, enrolled)
    admin = enrolled["admin"]
    container.handle(commands.PublishTimetable(enrolled["class"]), admin)
    container.handle(commands.SaveTimetable(enrolled["class"], (Lesson(4, 4, math, "stf-9"),)), admin)
    other = container.handle(commands.OpenClass(enrolled["school"], "2024-2025", "5", "Б", 1, 30), admin)
    container.handle(commands.SaveTimetable(other, (Lesson(5, 2, math, "stf-3", "105"),)), admin)
    container.handle(commands.PublishTimetable(other), admin)
    never = container.handle(commands.OpenClass(enrolled["school"], "2024-2025", "5", "В", 1, 30), admin)
    container.handle(commands.SaveTimetable(never, (Lesson(5, 3, math, "stf-4"),)), admin)

    config = alembic_config(sql_url, MIGRATIONS_DIR)
    command.downgrade(config, "0002")
    with container.engine.connect() as conn:
        assert "published_week" not in {c["name"] for c in inspect(conn).get_columns("timetables")}
    command.upgrade(config, "head")

    assert _week(stub, enrolled["class"]) == (True, PUBLISHED_WEEK)
    assert _week(stub, other) == (True, [(5, 2, "MATH", "stf-3", "105")])
    assert _week(stub, never) == (False, [])
    editor = views.timetable(container.context(admin), enrolled["class"])
    assert [(x.day, x.period) for x in editor.lessons] == [(4, 4)] and editor.draft_pending


@pytest.mark.parametrize("sql_url", ["sqlite"], indirect=True)
def test_timetable_of_a_class_without_one_is_empty_and_an_unknown_class_not_found(stub, enrolled) -> None:
    none_yet = stub.GetTimetable(pb.GetTimetableRequest(class_id=enrolled["class"]), metadata=CALLER)
    with pytest.raises(grpc.RpcError) as info:
        stub.GetTimetable(pb.GetTimetableRequest(class_id="cls-nowhere"), metadata=CALLER)

    assert (none_yet.class_id, none_yet.published, len(none_yet.lessons)) == (enrolled["class"], False, 0)
    assert info.value.code() is grpc.StatusCode.NOT_FOUND
