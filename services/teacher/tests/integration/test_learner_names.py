"""Learners' names on the journal pages come from education's GetClassRoster over real gRPC."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from education import reference
from education.bootstrap import bootstrap
from education.config import Settings
from education.domain.access import Actor, Role
from education.entrypoints.grpc_server import build_grpc_server
from education.service_layer import commands, views
from education.service_layer.clock import FixedClock
from esis_shared.national_id import Sex
from esis_shared.testing.processes import free_port
from teacher.adapters.learner_names import EducationRosterNames

pytestmark = pytest.mark.integration
MINISTRY = Actor("ministry-1", Role.MINISTRY)


@pytest.fixture
def education(tmp_path: Path) -> Iterator[tuple[Any, int]]:
    container = bootstrap(Settings(database_url=f"sqlite:///{tmp_path / 'education.db'}", kafka_enabled=False),
                          clock=FixedClock(datetime(2026, 11, 30, 2, 0, tzinfo=UTC)), run_migrations=True)
    port = free_port()
    server = build_grpc_server(container, port)
    server.start()
    yield container, port
    server.stop(0)
    container.close()


def test_the_roster_names_come_back_short_and_the_read_is_logged_for_the_teacher(education) -> None:
    container, port = education
    school = container.handle(commands.CreateOrgUnit("school", "S-1", "1-р сургууль", reference.org_id("6501"),
                                                     date(2000, 9, 1)), MINISTRY)
    admin = Actor("admin", Role.SCHOOL_ADMIN, org_ids=frozenset({school}))
    container.handle(commands.DefineSchoolYear(2026), MINISTRY)
    class_id = container.handle(commands.OpenClass(school, "2026-2027", "6", "А", 1, 30), admin)
    learner = container.handle(commands.RegisterLearner(school, "УБ14250224", "Бат", "Сарнай", date(2014, 5, 2),
                                                        Sex.FEMALE), admin)
    container.handle(commands.EnrolLearner(learner, class_id, date(2026, 9, 1)), admin)
    names = EducationRosterNames(f"127.0.0.1:{port}")
    try:
        assert names.names(class_id, date(2026, 11, 30), "acc-saruul") == {learner: "Б.Сарнай"}
    finally:
        names.close()
    entries = views.access_log(container.context(MINISTRY), learner)
    assert any("e-journal" in entry.purpose for entry in entries)


def test_without_education_the_page_gets_no_names_quickly() -> None:
    names = EducationRosterNames(f"127.0.0.1:{free_port()}")
    started = time.monotonic()
    try:
        assert names.names("6a", date(2026, 11, 30), "acc-saruul") == {}
    finally:
        names.close()
    assert time.monotonic() - started < 3
