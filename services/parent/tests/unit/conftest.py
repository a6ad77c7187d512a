from __future__ import annotations

import pytest
from esis_shared.auth import Principal
from parent.adapters.memory import MemoryState, MemoryUnitOfWork
from parent.adapters.who_growth import WhoGrowthStandard
from parent.domain.guardians import Claim
from parent.domain.school import StaffContact
from parent.service_layer.handlers.claims import ClaimChild, claim_child
from parent.service_layer.ports import Deps

from .fakes import (
    BAT,
    NOON_UB,
    OTHER,
    SARNAI,
    Clock,
    FakeAccessLog,
    FakeEducation,
    FakeStaff,
    FakeTimetable,
    RecordedGuardian,
)

MOTHER = Principal("acc-mother", "parent", name="Оюун")
STRANGER = Principal("acc-stranger", "parent", name="Гадны хүн")
TEACHER = Principal("acc-teacher", "teacher", class_ids=frozenset({"cls-5b"}), name="Б.Сараа")
OTHER_TEACHER = Principal("acc-teacher-2", "teacher", class_ids=frozenset({"cls-9a"}), name="Д.Нараа")


@pytest.fixture
def state() -> MemoryState:
    return MemoryState()


@pytest.fixture
def education() -> FakeEducation:
    register = FakeEducation()
    register.add("УБ14230211", BAT, RecordedGuardian("grd-1", "Оюун", "99112233"))
    register.add("УБ21251005", SARNAI, RecordedGuardian("grd-1", "Оюун", "99112233"))
    register.add("УБ14270101", OTHER, RecordedGuardian("grd-9", "Болд", "88001122", "father"))
    return register


@pytest.fixture
def staff() -> FakeStaff:
    directory = FakeStaff()
    directory.add(StaffContact("stf-1", "Б.Сараа", "99001100", "saraa@school.mn", "acc-teacher", ("math",)),
                  "cls-5b")
    return directory


@pytest.fixture
def clock() -> Clock:
    return Clock(NOON_UB)


@pytest.fixture
def deps(state, education, staff, clock) -> Deps:
    return Deps(uow=lambda: MemoryUnitOfWork(state), education=education, access_log=FakeAccessLog(), staff=staff,
                timetable=FakeTimetable(), growth=WhoGrowthStandard(), clock=clock)


def claim(register: str = "УБ14230211", name: str = "Оюун", phone: str = "99112233") -> Claim:
    return Claim.of(learner_register_number=register, guardian_given_name=name, guardian_phone=phone)


@pytest.fixture
def linked(deps: Deps) -> Deps:
    """The mother has claimed Bat and Sarnai; the stranger has claimed his own son (OTHER)."""
    claim_child(ClaimChild(MOTHER.subject, claim()), deps)
    claim_child(ClaimChild(MOTHER.subject, claim("УБ21251005")), deps)
    claim_child(ClaimChild(STRANGER.subject, claim("УБ14270101", "Болд", "88001122")), deps)
    return deps
