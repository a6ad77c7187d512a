"""hr's copy of education's directory, fed by education's events (any order, redelivery-safe)."""

from __future__ import annotations

import itertools
from datetime import date

import pytest
from esis.common.v1 import common_pb2
from esis.education.v1 import education_events_pb2 as edu
from esis_shared.consumer import EventProcessor, Outcome, default_resolver
from esis_shared.kafka import Envelope
from esis_shared.testing.fake_kafka import FakeRecord
from hr.adapters.orm import orgs
from hr.domain.access import Actor, Role
from hr.entrypoints.consumer import GROUP_ID, HANDLERS
from hr.service_layer import commands, views
from sqlalchemy import select

from .conftest import ADMIN, hire

pytestmark = pytest.mark.integration
OFFSETS = itertools.count()
SCHOOL = "org-school-1"  # already known (conftest) with aimag 011; the new one below is not


@pytest.fixture
def deliver(container):
    processor = EventProcessor(group_id=GROUP_ID, session_factory=container.sessions, handlers=HANDLERS,
                               resolve=default_resolver, dead_letter=lambda record, exc: pytest.fail(str(exc)))

    def send(message, key: str, topic: str = "education.org.v1") -> Outcome:
        envelope = Envelope.for_message(message, source="education", topic=topic, key=key)
        record = FakeRecord(topic, 0, next(OFFSETS), key.encode(), envelope.value, envelope.headers())
        return processor.process(record)

    return send


def unit(unit_id: str, kind: int, code: str, parent: str = "") -> edu.OrgUnitCreated:
    return edu.OrgUnitCreated(unit_id=unit_id, kind=kind, code=code, name_mn=unit_id, parent_id=parent,
                              valid_from=common_pb2.Date(year=2020, month=1, day=1))


def test_a_school_created_before_its_aimag_gets_the_aimag_once_it_arrives(container, deliver) -> None:
    deliver(unit("school-9", edu.ORG_KIND_SCHOOL, "S-9", parent="soum-3"), "school-9")
    deliver(unit("soum-3", edu.ORG_KIND_SOUM, "06503", parent="aimag-65"), "soum-3")
    with container.uow() as uow:
        assert uow.directory.org("school-9").aimag_code == ""
    deliver(unit("aimag-65", edu.ORG_KIND_AIMAG, "065"), "aimag-65")

    with container.uow() as uow:
        assert uow.directory.org("school-9").aimag_code == "065"
    staff_id, area = views.actor_context(container.uow(), "acc-officer", ["aimag-65"])
    assert (staff_id, area) == (None, frozenset({"065"}))


def test_a_capital_officer_oversees_every_district_school(container, deliver) -> None:
    deliver(unit("ub", edu.ORG_KIND_CAPITAL, "011"), "ub")
    deliver(unit("bzd", edu.ORG_KIND_DISTRICT, "01125", parent="ub"), "bzd")
    deliver(unit("school-ub", edu.ORG_KIND_SCHOOL, "S-1", parent="bzd"), "school-ub")
    _, area = views.actor_context(container.uow(), "acc-capital", ["ub"])
    officer = Actor("acc-capital", Role.AIMAG_OFFICER, frozenset({"ub"}), area)
    assert views.staff_at(container.uow(), officer, "school-ub", date(2024, 10, 1)) == []
    assert "01125" in area


def test_a_class_gets_its_curriculum_and_its_gaps_from_education(container, deliver) -> None:
    for subject_id, code, hours in (("subj-m", "math", 5), ("subj-mn", "mongolian", 6)):
        deliver(edu.SubjectDefined(subject_id=subject_id, code=code), subject_id, "education.classes.v1")
        deliver(edu.WeeklyHoursSet(subject_id=subject_id, year_id="2024-2025", level="7", hours=hours), subject_id,
                "education.classes.v1")
    opened = edu.ClassOpened(class_id="class-7b", school=common_pb2.OrgRef(org_id=SCHOOL, aimag_code="011"),
                             year_id="2024-2025", level="7", letter="б", shift=1, capacity=35)
    deliver(opened, "class-7b", "education.classes.v1")

    teacher = hire(container, "УБ85031512", date(1985, 3, 15), "male").staff_id
    container.bus.handle(commands.AssignTeaching(ADMIN, teacher, "class-7b", "math", "2024-2025", 5))
    gaps = views.class_gaps(container.uow(), ADMIN, "class-7b", date(2024, 10, 1))
    assert [(g.subject_code, g.planned_hours) for g in gaps] == [("mongolian", 6)]
    with container.uow() as uow:
        assert uow.directory.class_info("class-7b").name == "7б"


def test_a_redelivered_event_changes_nothing_twice(container, deliver) -> None:
    message = unit("aimag-21", edu.ORG_KIND_AIMAG, "021")
    envelope = Envelope.for_message(message, source="education", topic="education.org.v1", key="aimag-21")
    processor = EventProcessor(group_id=GROUP_ID, session_factory=container.sessions, handlers=HANDLERS,
                               resolve=default_resolver, dead_letter=lambda record, exc: pytest.fail(str(exc)))
    record = FakeRecord("education.org.v1", 0, 1, b"aimag-21", envelope.value, envelope.headers())
    assert processor.process(record) is Outcome.PROCESSED
    assert processor.process(record) is Outcome.DUPLICATE


def test_an_org_code_of_educations_maximum_length_arrives_whole(container, deliver) -> None:
    code = "MN-11-UB-SUKHBAATAR-DISTRICT-SCHOOL-0141"  # education accepts 40 characters; hr kept 20 before 0003
    assert len(code) == 40
    deliver(unit("school-long", edu.ORG_KIND_SCHOOL, code), "school-long")

    with container.engine.connect() as conn:
        stored = conn.execute(select(orgs.c.code).where(orgs.c.org_id == "school-long")).scalar_one()
    assert stored == code
