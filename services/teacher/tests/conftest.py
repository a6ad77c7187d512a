"""Fixtures shared by the teacher portal's tests: reference data, a movable clock, actors, a seeded school."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from esis_shared.auth import Principal, StaticKeyVerifier, jwks_document, sign_access_token
from esis_shared.db import make_engine
from joserfc.jwk import RSAKey
from sqlalchemy import Engine
from sqlalchemy.pool import StaticPool
from teacher.adapters.learner_names import LearnerNames, NoNames
from teacher.adapters.orm import metadata
from teacher.bootstrap import Container, bootstrap
from teacher.config import Settings
from teacher.domain.access import Actor
from teacher.domain.reference import Reference
from teacher.domain.rosters import Assignment, ClassInfo
from teacher.reference import load_reference
from teacher.service_layer.handlers import rosters
from teacher.service_layer.handlers.rosters import LearnerEnrolled, LearnerLeftClass

YEAR = "2026-2027"
SCHOOL = "school-17"
OTHER_SCHOOL = "school-40"
UB = "11"  # NSO code of Ulaanbaatar
ARKHANGAI = "65"
MONDAY = date(2026, 11, 30)
TUESDAY = date(2026, 12, 1)
SATURDAY = date(2026, 11, 28)
INDEPENDENCE_DAY = date(2026, 11, 26)
IN_BREAK = date(2026, 11, 4)
FIRST_DAY = date(2026, 9, 1)
SIXTH = ("L1", "L2", "L3", "L4")  # in 6А all year
LATE_JOINER = "L5"  # in 6А from Tuesday 1 December
LEAVER = "L6"  # left 6А on 20 November

TEACHER = Actor("acc-saraa", "teacher", frozenset({SCHOOL}), frozenset({"6a", "3b", "kg-b"}), "Б. Сараа")
OTHER_TEACHER = Actor("acc-bold", "teacher", frozenset({SCHOOL}), frozenset({"6b"}), "Д. Болд")
MANAGER = Actor("acc-manager", "school_admin", frozenset({SCHOOL}), name="Сургалтын менежер")
OTHER_MANAGER = Actor("acc-manager-40", "school_admin", frozenset({OTHER_SCHOOL}))
MINISTRY = Actor("acc-ministry", "ministry")
UB_OFFICER = Actor("acc-ub", "aimag_officer", frozenset({UB}))
ARKHANGAI_OFFICER = Actor("acc-arkhangai", "aimag_officer", frozenset({ARKHANGAI}))


class Clock:
    """Tuesday 1 December 2026, 10:00 in Ulaanbaatar, unless moved."""

    def __init__(self) -> None:
        self.now = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now

    def set_day(self, day: date) -> None:
        self.now = datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture(scope="session")
def reference() -> Reference:
    return load_reference()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ids() -> Callable[[], str]:
    counter = itertools.count(1)
    return lambda: f"id-{next(counter)}"


@dataclass(frozen=True)
class SchoolData:
    """The seeded school: classes, learners and assignments (see ``seed_school``)."""

    classes: tuple[ClassInfo, ...]
    assignments: tuple[Assignment, ...]
    enrolments: tuple[LearnerEnrolled | LearnerLeftClass, ...]


def assignment(assignment_id: str, class_id: str, subject: str, org: str = SCHOOL,
               starts_on: date = FIRST_DAY, last_day: date | None = None) -> Assignment:
    return Assignment(assignment_id, f"staff-{class_id}-{subject}", class_id, org, subject, YEAR, starts_on, last_day)


def school_data() -> SchoolData:
    classes = (ClassInfo("6a", SCHOOL, "6", YEAR, UB, "6А"), ClassInfo("6b", SCHOOL, "6", YEAR, UB, "6Б"),
               ClassInfo("3b", SCHOOL, "3", YEAR, UB, "3Б"),
               ClassInfo("kg-b", SCHOOL, "beltgel", YEAR, UB, "Бэлтгэл Б"),
               ClassInfo("9a-40", OTHER_SCHOOL, "9", YEAR, ARKHANGAI, "9А"))
    assignments = (assignment("as-1", "6a", "math"), assignment("as-2", "6a", "mongolian"),
                   assignment("as-3", "6b", "math"), assignment("as-4", "3b", "primary"),
                   assignment("as-5", "kg-b", "kindergarten"), assignment("as-6", "9a-40", "math", OTHER_SCHOOL))
    enrolments: list[LearnerEnrolled | LearnerLeftClass] = [LearnerEnrolled(x, "6a", FIRST_DAY) for x in SIXTH]
    enrolments += [LearnerEnrolled(LATE_JOINER, "6a", TUESDAY), LearnerEnrolled(LEAVER, "6a", FIRST_DAY),
                   LearnerLeftClass(LEAVER, "6a", date(2026, 11, 21)), LearnerEnrolled("B1", "6b", FIRST_DAY),
                   LearnerEnrolled("P1", "3b", FIRST_DAY), LearnerEnrolled("P2", "3b", FIRST_DAY),
                   LearnerEnrolled("K1", "kg-b", FIRST_DAY), LearnerEnrolled("K2", "kg-b", FIRST_DAY),
                   LearnerEnrolled("N1", "9a-40", FIRST_DAY)]
    return SchoolData(classes, assignments, tuple(enrolments))


def apply_school(repo: rosters.RosterRepository, data: SchoolData | None = None) -> SchoolData:
    """Feed the roster facts through the same functions the Kafka consumer uses."""
    data = data or school_data()
    for info in data.classes:
        rosters.record_class(repo, info)
    for item in data.assignments:
        rosters.assign(repo, item)
    for fact in data.enrolments:
        (rosters.enrol if isinstance(fact, LearnerEnrolled) else rosters.leave)(repo, fact)  # type: ignore[arg-type]
    return data


# ---------------------------------------------------------------- containers on SQL, signed tokens

@dataclass
class Tokens:
    """Signs access tokens for the test actors; the container verifies them with the matching JWKS."""

    key: Any
    issuer: str = "esis-identity"
    audience: str = "esis"

    def verifier(self) -> StaticKeyVerifier:
        return StaticKeyVerifier(jwks_document([self.key]), issuer=self.issuer, audience=self.audience)

    def token(self, actor: Actor) -> str:
        principal = Principal(actor.account_id, actor.role, actor.org_ids, actor.class_ids, name=actor.name,
                              username=actor.account_id)
        return sign_access_token(principal, self.key, issuer=self.issuer, audience=self.audience, ttl_s=3600)

    def headers(self, actor: Actor) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(actor)}"}


@pytest.fixture(scope="session")
def tokens() -> Tokens:
    return Tokens(RSAKey.generate_key(2048, private=True))


def sql_container(url: str, tokens: Tokens, clock: Clock, *, engine: Engine | None = None, seed: bool = True,
                  names: LearnerNames | None = None, **settings: Any) -> Container:
    """A container on ``url`` (migrated unless an engine with tables is given), seeded with the school."""
    values: dict[str, Any] = {"database_url": url, "kafka_enabled": False, "grpc_port": None, **settings}
    container = bootstrap(Settings(**values), engine=engine, clock=clock, verifier=tokens.verifier(),
                          names=names or NoNames(), run_migrations=engine is None)
    if seed:
        with container.uow() as uow:
            apply_school(uow.rosters)
            uow.commit()
    return container


def memory_engine() -> Engine:
    engine = make_engine("sqlite://", poolclass=StaticPool)
    metadata.create_all(engine)
    return engine
