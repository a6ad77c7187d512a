"""A school office for page tests: education on a SQLite file with two schools, classes, learners with guardians,
a timetable, admission applications and transfers both ways, and signed session tokens for its people."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from education import reference
from education.bootstrap import Container, bootstrap
from education.config import Settings
from education.domain.access import Actor, Role
from education.domain.timetable import Lesson
from education.entrypoints.api.app import build_app
from education.service_layer import commands
from education.service_layer.clock import FixedClock
from esis_shared.auth import Principal, StaticKeyVerifier, jwks_document, sign_access_token
from esis_shared.national_id import Sex
from fastapi import FastAPI
from joserfc.jwk import RSAKey

KEY = RSAKey.generate_key(2048)
YEAR = "2024-2025"
MINISTRY = Actor("ministry-1", Role.MINISTRY)


@dataclass
class Office:
    container: Container
    school: str = ""
    other_school: str = ""
    classes: dict[str, str] = field(default_factory=dict)
    learners: dict[str, str] = field(default_factory=dict)  # given name -> id
    subjects: dict[str, str] = field(default_factory=dict)

    def admin(self, school: str | None = None) -> Actor:
        return Actor(f"admin-{(school or self.school)[:4]}", Role.SCHOOL_ADMIN,
                     org_ids=frozenset({school or self.school}))

    def token(self, role: str = "school_admin", *, orgs: tuple[str, ...] | None = None,
              classes: tuple[str, ...] = (), name: str = "Номин") -> str:
        principal = Principal(subject=f"{role}-1" if role != "school_admin" else self.admin().id, role=role,
                              org_ids=frozenset(orgs if orgs is not None else (self.school,)),
                              class_ids=frozenset(classes), name=name)
        return sign_access_token(principal, KEY, issuer="esis-identity", audience="esis", ttl_s=3600)

    def app(self) -> FastAPI:
        app = build_app(self.container)
        app.state.token_verifier = StaticKeyVerifier(jwks_document([KEY]), issuer="esis-identity", audience="esis")
        return app


def _unit(o: Office, code: str, name: str, soum: str) -> str:
    return o.container.handle(commands.CreateOrgUnit(kind="school", code=code, name_mn=name, name_en=code,
                                                     parent_id=reference.org_id(soum), opened_on=date(2000, 9, 1)),
                              MINISTRY)


def _curriculum(o: Office) -> None:
    o.container.handle(commands.DefineSchoolYear(2024), MINISTRY)
    for code, name, en, hours in (("MATH", "Математик", "Mathematics", 5), ("MONG", "Монгол хэл", "Mongolian", 6)):
        o.subjects[code] = o.container.handle(commands.DefineSubject(code, name, "compulsory", en), MINISTRY)
        o.container.handle(commands.SetWeeklyHours(o.subjects[code], YEAR, "5", hours), MINISTRY)
        o.container.handle(commands.SetWeeklyHours(o.subjects[code], YEAR, "1", 2), MINISTRY)


def _learner(o: Office, school: str, given: str, number: str, born: date, sex: Sex, class_id: str | None) -> str:
    admin = o.admin(school)
    learner_id = o.container.handle(commands.RegisterLearner(school, number, "Бат", given, born, sex), admin)
    o.container.handle(commands.AddGuardian(learner_id, "Дорж", "Оюун", "00110001", "mother"), admin)
    if class_id:
        o.container.handle(commands.EnrolLearner(learner_id, class_id, date(2024, 9, 2)), admin)
    o.learners[given] = learner_id
    return learner_id


def build_office(folder: Path) -> Office:
    settings = Settings(database_url=f"sqlite:///{folder / 'education.db'}", kafka_enabled=False)
    clock = FixedClock(datetime(2024, 10, 1, 2, 0, tzinfo=UTC))
    o = Office(bootstrap(settings, clock=clock, run_migrations=True))
    o.school = _unit(o, "S-1110-14", "Баянзүрхийн 14-р сургууль", "1110")
    o.other_school = _unit(o, "S-6501-1", "Эрдэнэбулган 1-р сургууль", "6501")
    _curriculum(o)
    for letter, room in (("А", "201"), ("Б", "202")):
        o.classes[f"5{letter}"] = o.container.handle(
            commands.OpenClass(o.school, YEAR, "5", letter, 1, 30, room), o.admin())
    o.classes["other 5А"] = o.container.handle(commands.OpenClass(o.other_school, YEAR, "5", "А", 1, 30, "12"),
                                               o.admin(o.other_school))
    _learner(o, o.school, "Сарнай", "УБ14250224", date(2014, 5, 2), Sex.FEMALE, o.classes["5А"])
    _learner(o, o.school, "Тэмүүлэн", "УБ14250315", date(2014, 5, 3), Sex.MALE, o.classes["5А"])
    _desks(o)
    return o


def _desks(o: Office) -> None:
    """An application that needs an override, a transfer coming in and one going out, a busy teacher."""
    young = _learner(o, o.school, "Анар", "УБ19250411", date(2019, 5, 4), Sex.MALE, None)
    o.container.handle(commands.SubmitApplication(o.school, young, YEAR, "1"), o.admin())
    coming = _learner(o, o.other_school, "Хулан", "АР14260520", date(2014, 6, 5), Sex.FEMALE, o.classes["other 5А"])
    o.container.handle(commands.RequestTransfer(o.school, learner_id=coming, reason="Гэр бүл нүүсэн"),
                       o.admin(o.other_school))
    o.container.handle(commands.RequestTransfer(o.other_school, learner_id=o.learners["Тэмүүлэн"]), o.admin())
    lesson = Lesson(1, 1, o.subjects["MATH"], "teacher-bold", "201")
    o.container.handle(commands.SaveTimetable(o.classes["5А"], (lesson,)), o.admin())


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Office]:
    built = build_office(tmp_path_factory.mktemp("office"))
    yield built
    built.container.close()


# ---------------------------------------------------------------- bulk paths (unit: SQLite, integration: PostgreSQL)

@dataclass
class BulkCountry:
    """Request bodies for the bulk endpoints: a soum with a school, two classes, learners with guardians."""

    soum: str = "7a1c0a51-0000-4000-8000-000000000001"
    school: str = "7a1c0a51-0000-4000-8000-000000000002"
    classes: tuple[str, str] = ("7a1c0a51-0000-4000-8000-0000000000c1", "7a1c0a51-0000-4000-8000-0000000000c2")

    def org_units(self) -> dict:
        return {"units": [
            {"id": self.soum, "kind": "soum", "code": "B-6599", "name_mn": "Туршилт сум", "name_en": "Test soum",
             "parent_id": reference.org_id("65"), "opened_on": "2000-01-01"},
            {"id": self.school, "kind": "school", "code": "B-6599-1", "name_mn": "Туршилт сумын 1-р сургууль",
             "parent_id": self.soum, "opened_on": "2000-09-01", "ownership": "state", "catchment": ["659901"]}]}

    def classes_body(self) -> dict:
        return {"classes": [{"id": class_id, "school_id": self.school, "year_id": YEAR, "level": level,
                             "letter": "А", "shift": 1, "capacity": 30, "room": room}
                            for class_id, level, room in zip(self.classes, ("5", "бага"), ("201", "цэцэрлэг"),
                                                             strict=True)]}

    def learners_body(self, count: int = 4, first: int = 0) -> dict:
        """``count`` pupils of class 5А (born 2014: month + 20 in the register number), two per family; each family
        has a mother and a father."""
        learners, guardians, links = [], [], []
        for n in range(first, first + count):
            sex = Sex.MALE if n % 2 else Sex.FEMALE
            born = date(2014, 1 + n % 12, 1 + n // 12)
            digit = (1 + 2 * (n % 5)) if sex is Sex.MALE else 2 * (n % 5)
            learner_id = f"7a1c0a51-0000-4000-8000-{n:012d}"
            learners.append({"id": learner_id, "class_id": self.classes[0], "family_name": "Бат",
                             "given_name": "Сараа", "birth_date": born.isoformat(),
                             "sex": sex.value,
                             "register_number": f"АР14{born.month + 20:02d}{born.day:02d}{digit}{n % 10}"})
            family = n // 2
            for role, given, phone in (("mother", "Оюун", 10000000), ("father", "Дорж", 20000000)):
                guardian_id = f"7a1c0a51-0000-4000-9000-{family * 2 + (role == 'father'):012d}"
                if n % 2 == 0:
                    guardians.append({"id": guardian_id, "family_name": "Бат", "given_name": given,
                                      "phone": f"{phone + family:08d}"})
                links.append({"learner_id": learner_id, "guardian_id": guardian_id, "relationship": role})
        return {"enrol_on": "2024-09-02", "learners": learners, "guardians": guardians, "links": links}


@pytest.fixture
def bulk_country() -> BulkCountry:
    return BulkCountry()
