"""A small country for handler tests: the shipped hierarchy + demo soums, two schools in Arkhangai, one in
Bayanzürkh (UB), a school year with a curriculum, and actors of every role. No sockets."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import pytest
from education import reference
from education.adapters.memory import MemoryUnitOfWork, Store
from education.domain.access import Actor, Role
from education.domain.curriculum import SubjectKind
from education.domain.org import OrgKind
from education.service_layer import commands
from education.service_layer.clock import FixedClock
from education.service_layer.messagebus import MessageBus
from education.service_layer.reference import load_hierarchy
from esis_shared.national_id import Sex

NOW = datetime(2024, 10, 1, 2, 0, tzinfo=UTC)  # 10:00 in Ulaanbaatar
TODAY = date(2024, 10, 1)
YEAR = "2024-2025"
MINISTRY = Actor("ministry-1", Role.MINISTRY)
SERVICE = Actor("parent-portal", Role.SERVICE)


def register_number(birth: date, sex: Sex, letters: str = "УБ", serial: int = 0) -> str:
    month = birth.month + (20 if birth.year >= 2000 else 0)
    sex_digit = (1 + 2 * (serial % 5)) if sex is Sex.MALE else 2 * (serial % 5)
    return f"{letters}{birth:%y}{month:02d}{birth:%d}{sex_digit}{serial % 10}"


@dataclass
class World:
    store: Store
    clock: FixedClock
    bus: MessageBus
    ids: dict[str, str] = field(default_factory=dict)
    subjects: dict[str, str] = field(default_factory=dict)
    serial: int = 0
    ministry_actor = MINISTRY
    service_actor = SERVICE

    def __getattr__(self, name: str) -> str:
        try:
            return self.__dict__["ids"][name]
        except KeyError:
            raise AttributeError(name) from None

    def do(self, command: commands.Command, actor: Actor = MINISTRY) -> Any:
        return self.bus.handle(command, actor)

    def ctx(self, actor: Actor) -> Any:
        return self.bus.context(actor)

    def admin(self, school_id: str) -> Actor:
        return Actor(f"admin-{school_id[:6]}", Role.SCHOOL_ADMIN, org_ids=frozenset({school_id}))

    def officer(self, area_id: str, role: Role = Role.AIMAG_OFFICER) -> Actor:
        return Actor(f"officer-{area_id[:6]}", role, org_ids=frozenset({area_id}))

    def teacher(self, *class_ids: str) -> Actor:
        return Actor("teacher-1", Role.TEACHER, class_ids=frozenset(class_ids))

    def open_class(self, school_id: str, level: str = "1", letter: str = "А", capacity: int = 30, shift: int = 1,
                   room: str = "101") -> str:
        return self.do(commands.OpenClass(school_id, YEAR, level, letter, shift, capacity, room, "staff-1"),
                       self.admin(school_id))

    def register(self, school_id: str, *, birth: date = date(2018, 3, 14), sex: Sex = Sex.MALE,
                 family: str = "Бат", given: str | None = None, **extra: Any) -> str:
        self.serial += 1
        cmd = commands.RegisterLearner(school_id, register_number(birth, sex, serial=self.serial), family,
                                       given or f"Болд{'а' * self.serial}", birth, sex, **extra)
        return self.do(cmd, self.admin(school_id))

    def enrolled(self, school_id: str, class_id: str, **kwargs: Any) -> str:
        learner_id = self.register(school_id, **kwargs)
        self.do(commands.EnrolLearner(learner_id, class_id), self.admin(school_id))
        return learner_id

    def learner(self, learner_id: str) -> Any:
        return self.store.tables["learners"][learner_id]

    def events(self, kind: type) -> list[Any]:
        return [e for e in self.store.outbox if isinstance(e, kind)]


def _add_school(w: World, name: str, code: str, parent_id: str, kind: OrgKind = OrgKind.SCHOOL) -> str:
    return w.do(commands.CreateOrgUnit(kind, code, name, parent_id, date(2000, 9, 1)))


def _curriculum(w: World) -> None:
    for code, name, kind, hours in (("MATH", "Математик", SubjectKind.COMPULSORY, 5),
                                    ("MONG", "Монгол хэл", SubjectKind.COMPULSORY, 6),
                                    ("ART", "Дүрслэх урлаг", SubjectKind.ELECTIVE, 1)):
        subject_id = w.do(commands.DefineSubject(code, name, kind, name_en=code.title()))
        w.subjects[code] = subject_id
        for grade in ("1", "5"):
            w.do(commands.SetWeeklyHours(subject_id, YEAR, grade, hours))


@pytest.fixture
def world() -> World:
    store = Store()
    clock = FixedClock(NOW)
    w = World(store, clock, MessageBus(lambda: MemoryUnitOfWork(store), clock))
    load_hierarchy(MemoryUnitOfWork(store), with_demo_soums=True)
    w.ids.update(ministry=reference.org_id("MN"), arkhangai=reference.org_id("65"), ub=reference.org_id("11"),
                 tov=reference.org_id("41"), bayanzurkh=reference.org_id("1110"),
                 erdenebulgan=reference.org_id("6501"), battsengel=reference.org_id("6503"))
    w.ids["school_a"] = _add_school(w, "1-р сургууль", "S-6501-1", w.erdenebulgan)
    w.ids["school_b"] = _add_school(w, "Батцэнгэл сумын сургууль", "S-6503-1", w.battsengel)
    w.ids["school_ub"] = _add_school(w, "Баянзүрхийн 14-р сургууль", "S-1110-14", w.bayanzurkh)
    w.ids["kindergarten"] = _add_school(w, "3-р цэцэрлэг", "K-6501-3", w.erdenebulgan, OrgKind.KINDERGARTEN)
    w.do(commands.DefineSchoolYear(2024))
    _curriculum(w)
    store.outbox.clear()
    return w
