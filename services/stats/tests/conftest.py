"""Fixtures of stats' tests: a hand-made event log (education, hr, teacher) on a fake broker, projected into
in-memory SQLite through the same replay the rebuild command uses, and signed tokens for each role.

The world: aimag A65 (soums S1 with schools K1, K2; S2 with K3) and aimag A83 (soum S9, school K9).
School year 2023: K1 grade 1 has 12 first-graders (7 girls), K2 grade 1 has 3, K3 grade 2 has 8, K9 grade 1 has 20.
School year 2024: of K1's twelve, 9 are in grade 2 at K1, 1 continues in grade 2 at K3 (a transfer out of S1),
1 repeats grade 1, 1 withdrew in May (family reasons); K2's three and K3's eight are all promoted.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from esis.common.v1 import common_pb2
from esis.education.v1 import education_events_pb2 as edu
from esis.hr.v1 import hr_events_pb2 as hr
from esis.teacher.v1 import teacher_events_pb2 as teacher
from esis_shared.auth import Principal, StaticKeyVerifier, jwks_document, sign_access_token
from esis_shared.db import make_engine
from esis_shared.kafka import Envelope, publish
from esis_shared.testing.fake_kafka import FakeBroker
from fastapi.testclient import TestClient
from joserfc.jwk import RSAKey
from sqlalchemy import Engine
from sqlalchemy.pool import StaticPool
from stats.adapters.orm import metadata
from stats.bootstrap import Container, bootstrap
from stats.config import Settings
from stats.entrypoints.api.app import build_app
from stats.entrypoints.consumer import BATCH_HANDLERS, HANDLERS, TOPICS
from stats.service_layer.rebuild import replay

AIMAG = {"A65": "65", "A83": "83"}
ORGS = [("MIN", "MINISTRY", "MIN", ""), ("A65", "AIMAG", "65", "MIN"), ("A83", "AIMAG", "83", "MIN"),
        ("S1", "SOUM", "6501", "A65"), ("S2", "SOUM", "6502", "A65"), ("S9", "SOUM", "8301", "A83"),
        ("K1", "SCHOOL", "6501-1", "S1"), ("K2", "SCHOOL", "6501-2", "S1"), ("K3", "SCHOOL", "6502-1", "S2"),
        ("K9", "SCHOOL", "8301-1", "S9")]
AIMAG_OF = {"K1": "65", "K2": "65", "K3": "65", "K9": "83"}
NOW = datetime(2024, 11, 1, tzinfo=UTC)


def pb_date(day: date) -> common_pb2.Date:
    return common_pb2.Date(year=day.year, month=day.month, day=day.day)


def org_ref(school: str) -> common_pb2.OrgRef:
    return common_pb2.OrgRef(org_id=school, aimag_code=AIMAG_OF[school])


@dataclass
class EventLog:
    broker: FakeBroker = field(default_factory=FakeBroker)

    def __post_init__(self) -> None:
        for topic in TOPICS:
            self.broker.create_topic(topic, partitions=3)

    def emit(self, topic: str, key: str, message: Any, aimag: str | None = None) -> None:
        envelope = Envelope.for_message(message, source=topic.split(".")[0], topic=topic, key=key, aimag=aimag)
        publish(self.broker.producer(), envelope)

    def apply(self, container: Container, group: str = "stats", batched: bool = False) -> int:
        """Project the log; ``batched``: the high-volume types through their batch handlers, as the service does."""
        client = self.broker.consumer(group)
        client.subscribe(TOPICS)
        return replay(client, container.sessions, HANDLERS, BATCH_HANDLERS if batched else None, idle_polls=1,
                      poll_ms=0)


def _classes(log: EventLog) -> None:
    log.emit("education.classes.v1", "c-K1-1b-2023", edu.ClassOpened(  # a parallel class nobody marked
        class_id="c-K1-1b-2023", school=org_ref("K1"), year_id="2023-2024", level="1", letter="Б", shift=2,
        capacity=30), "65")
    for school, year, level in [("K1", 2023, "1"), ("K2", 2023, "1"), ("K3", 2023, "2"), ("K9", 2023, "1"),
                                ("K1", 2024, "1"), ("K1", 2024, "2"), ("K2", 2024, "2"), ("K3", 2024, "2"),
                                ("K3", 2024, "3")]:
        log.emit("education.classes.v1", f"c-{school}-{level}-{year}", edu.ClassOpened(
            class_id=f"c-{school}-{level}-{year}", school=org_ref(school), year_id=f"{year}-{year + 1}", level=level,
            letter="А", shift=1, capacity=30), AIMAG_OF[school])


def _learner(log: EventLog, learner: str, school: str, sex: int, birth_year: int) -> None:
    log.emit("education.learners.v1", learner, edu.LearnerRegistered(
        learner_id=learner, school=org_ref(school), birth_year=birth_year, sex=sex), AIMAG_OF[school])


def enrol(log: EventLog, learner: str, school: str, level: str, year: int) -> None:
    log.emit("education.enrolments.v1", learner, edu.LearnerEnrolled(
        learner_id=learner, school=org_ref(school), class_id=f"c-{school}-{level}-{year}", level=level,
        on=pb_date(date(year, 9, 1)), via=edu.ENROLMENT_VIA_ADMISSION), AIMAG_OF[school])


def build_world(log: EventLog) -> None:
    for unit, kind, code, parent in ORGS:
        log.emit("education.org.v1", unit, edu.OrgUnitCreated(
            unit_id=unit, kind=getattr(edu, f"ORG_KIND_{kind}"), code=code, name_mn=f"Нэгж {code}",
            parent_id=parent, valid_from=pb_date(date(2000, 1, 1))), AIMAG.get(unit))
    _classes(log)
    cohorts = {"K1": (12, "1", 2017), "K2": (3, "1", 2017), "K3": (8, "2", 2016), "K9": (20, "1", 2017)}
    for school, (size, level, born) in cohorts.items():
        for i in range(size):
            learner = f"lrn-{school}-{i:02d}"
            girl = i < 7 if school == "K1" else bool(i % 2)
            _learner(log, learner, school, edu.SEX_FEMALE if girl else edu.SEX_MALE, born)
            enrol(log, learner, school, level, 2023)
    _second_year(log)
    _staff_and_journal(log)


def _second_year(log: EventLog) -> None:
    for i in range(9):
        enrol(log, f"lrn-K1-{i:02d}", "K1", "2", 2024)
    enrol(log, "lrn-K1-09", "K3", "2", 2024)  # transferred to another soum
    enrol(log, "lrn-K1-10", "K1", "1", 2024)  # repeats grade 1
    log.emit("education.enrolments.v1", "lrn-K1-11", edu.LearnerWithdrawn(
        learner_id="lrn-K1-11", school=org_ref("K1"), class_id="c-K1-1-2023",
        reason=edu.WITHDRAWAL_REASON_FAMILY, on=pb_date(date(2024, 5, 20))), "65")
    for i in range(3):
        enrol(log, f"lrn-K2-{i:02d}", "K2", "2", 2024)
    for i in range(8):
        enrol(log, f"lrn-K3-{i:02d}", "K3", "3", 2024)


def _staff_and_journal(log: EventLog) -> None:
    log.emit("hr.staff.v1", "stf-1", hr.StaffHired(
        staff_id="stf-1", appointment_id="apt-1", org_id="K1", position_kind=hr.POSITION_KIND_TEACHER,
        fte_percent=100, start_date=pb_date(date(2020, 9, 1)), sex=hr.SEX_FEMALE), "65")
    log.emit("hr.assignments.v1", "asg-1", hr.TeachingAssigned(
        assignment_id="asg-1", staff_id="stf-1", class_id="c-K1-1-2023", org_id="K1", subject_code="math",
        school_year="2023-2024", weekly_hours=12, start_date=pb_date(date(2023, 9, 1)),
        last_day=pb_date(date(2024, 6, 15))), "65")
    days = [date(2023, 10, d) for d in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13)]
    for n, day in enumerate(days):
        marks = [teacher.AttendanceMark(learner_id=f"lrn-K1-{i:02d}", code="p", category=(
            "unexcused_absence" if i == 0 and n < 2 else "present")) for i in range(12)]
        log.emit("teacher.attendance.v1", f"sheet-{n}", teacher.AttendanceMarked(
            sheet_id=f"sheet-{n}", class_id="c-K1-1-2023", school=org_ref("K1"), day=pb_date(day), lesson=0,
            marks=marks), "65")


@dataclass
class Tokens:
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, private=True))

    @property
    def verifier(self) -> StaticKeyVerifier:
        return StaticKeyVerifier(jwks_document([self.key]), issuer="esis-identity", audience="esis")

    def headers(self, role: str, *orgs: str, subject: str = "acc-1") -> dict[str, str]:
        token = sign_access_token(Principal(subject, role, frozenset(orgs)), self.key, issuer="esis-identity",
                                  audience="esis", ttl_s=3600)
        return {"Authorization": f"Bearer {token}"}


@pytest.fixture(scope="session")
def tokens() -> Tokens:
    return Tokens()


def memory_engine() -> Engine:
    engine = make_engine("sqlite://", poolclass=StaticPool)
    metadata.create_all(engine)
    return engine


@pytest.fixture(scope="session")
def event_log() -> EventLog:
    log = EventLog()
    build_world(log)
    return log


def settings_for(url: str) -> Settings:
    return Settings(database_url=url, kafka_enabled=False, grpc_port=None)


@pytest.fixture(scope="session")
def projected_db(tmp_path_factory: pytest.TempPathFactory, tokens: Tokens, event_log: EventLog) -> Path:
    """The event log projected once into a SQLite file; each test works on its own copy."""
    path = tmp_path_factory.mktemp("stats") / "projected.db"
    engine = make_engine(f"sqlite:///{path}")
    metadata.create_all(engine)
    built = bootstrap(settings_for(f"sqlite:///{path}"), engine=engine, verifier=tokens.verifier)
    event_log.apply(built)
    built.close()
    return path


@pytest.fixture
def container(tokens: Tokens, projected_db: Path, tmp_path: Path) -> Iterator[Container]:
    copy = tmp_path / "stats.db"
    shutil.copy(projected_db, copy)
    url = f"sqlite:///{copy}"
    built = bootstrap(settings_for(url), engine=make_engine(url), verifier=tokens.verifier, clock=lambda: NOW)
    yield built
    built.close()


POPULATION = "area_code,year,age,sex,population\n" + "".join(
    f"65,2023,{age},{sex},10\n" for age in range(6, 18) for sex in ("male", "female"))


@pytest.fixture
def client(container: Container, tokens: Tokens) -> TestClient:
    test_client = TestClient(build_app(container))
    response = test_client.post("/api/stats/v1/population", content=POPULATION,
                                headers={**tokens.headers("ministry"), "Content-Type": "text/csv"})
    assert response.status_code == 201, response.text
    return test_client


@pytest.fixture
def fresh_container(tokens: Tokens) -> Iterator[Any]:
    """Factory of containers on new, empty in-memory databases (for replays)."""
    made: list[Container] = []

    def make() -> Container:
        made.append(bootstrap(settings_for("sqlite://"), engine=memory_engine(), verifier=tokens.verifier))
        return made[-1]

    yield make
    for built in made:
        built.close()


@pytest.fixture
def world_tools() -> SimpleNamespace:
    """The event-log helpers, for tests that write more events (conftest modules cannot be imported)."""
    return SimpleNamespace(EventLog=EventLog, enrol=enrol, build_world=build_world)
