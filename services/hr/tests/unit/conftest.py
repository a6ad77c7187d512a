"""In-memory fakes of the HR ports, and a message bus wired to them (no sockets, no database)."""

from __future__ import annotations

import copy
import itertools
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import pytest
from esis_shared import national_id
from hr.adapters.repository import (
    AuditRepository,
    DirectoryRepository,
    PositionRepository,
    StaffRepository,
    TeachingRepository,
    VacancyRepository,
)
from hr.domain.access import Actor, Role
from hr.domain.assignments import ClassTeaching, TeachingAssignment
from hr.domain.audit import PersonalDataRead
from hr.domain.directory import ClassInfo, OrgInfo
from hr.domain.events import Event
from hr.domain.positions import Position, Vacancy, VacancyStatus
from hr.domain.staff import StaffMember
from hr.domain.values import Period, SchoolYear
from hr.reference import load_ranks
from hr.service_layer import commands
from hr.service_layer.handlers import staff as staff_handlers
from hr.service_layer.handlers import teaching as teaching_handlers
from hr.service_layer.handlers.common import Context, Policy
from hr.service_layer.messagebus import MessageBus
from hr.service_layer.unit_of_work import AbstractUnitOfWork


@dataclass
class Store:
    """What a committed database would hold; each unit of work works on a copy until it commits."""

    staff: dict[str, StaffMember] = field(default_factory=dict)
    positions: dict[str, Position] = field(default_factory=dict)
    vacancies: dict[str, Vacancy] = field(default_factory=dict)
    teaching: dict[tuple[str, SchoolYear], ClassTeaching] = field(default_factory=dict)
    orgs: dict[str, OrgInfo] = field(default_factory=dict)
    classes: dict[str, ClassInfo] = field(default_factory=dict)
    reads: list[PersonalDataRead] = field(default_factory=list)
    outbox: list[Event] = field(default_factory=list)


class FakeStaff(StaffRepository):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def _add(self, staff: StaffMember) -> None:
        self.store.staff[staff.id] = staff

    def _get(self, staff_id: str) -> StaffMember | None:
        return self.store.staff.get(staff_id)

    def _get_by_register_number(self, register_number: str) -> StaffMember | None:
        return next((s for s in self.store.staff.values() if s.register_number == register_number), None)

    def get_by_account(self, account_id: str) -> StaffMember | None:
        return next((s for s in self.store.staff.values() if s.account_id == account_id), None)

    def list_at_org(self, org_id: str, day: date) -> list[StaffMember]:
        return [s for s in self.store.staff.values() if org_id in s.history.org_ids_on(day)]

    def holdings(self, position_id: str) -> list[tuple[Decimal, Period]]:
        return [(a.fte, a.period) for s in self.store.staff.values() for a in s.history.appointments
                if a.position_id == position_id]

    def names(self, staff_ids: list[str]) -> dict[str, str]:
        return {i: self.store.staff[i].name.display for i in staff_ids if i in self.store.staff}


class FakePositions(PositionRepository):
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, position: Position) -> None:
        self.store.positions[position.id] = position

    def get(self, position_id: str) -> Position | None:
        return self.store.positions.get(position_id)

    def list_for_org(self, org_id: str) -> list[Position]:
        return [p for p in self.store.positions.values() if p.org_id == org_id]


class FakeVacancies(VacancyRepository):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def _add(self, vacancy: Vacancy) -> None:
        self.store.vacancies[vacancy.id] = vacancy

    def _get(self, vacancy_id: str) -> Vacancy | None:
        return self.store.vacancies.get(vacancy_id)

    def _oldest_open(self, position_id: str) -> Vacancy | None:
        open_ = [v for v in self.store.vacancies.values()
                 if v.position_id == position_id and v.status is VacancyStatus.OPEN]
        return min(open_, key=lambda v: v.opened_on, default=None)

    def list_for_org(self, org_id: str, status: VacancyStatus | None = None) -> list[Vacancy]:
        return [v for v in self.store.vacancies.values() if v.org_id == org_id and status in (None, v.status)]


class FakeTeaching(TeachingRepository):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def _all(self) -> list[TeachingAssignment]:
        return [a for t in self.store.teaching.values() for a in t.assignments if not a.cancelled]

    def _add(self, teaching: ClassTeaching) -> None:
        self.store.teaching[(teaching.class_id, teaching.school_year)] = teaching

    def _get(self, class_id: str, school_year: SchoolYear) -> ClassTeaching | None:
        return self.store.teaching.get((class_id, school_year))

    def _get_by_assignment(self, assignment_id: str) -> ClassTeaching | None:
        return next((t for t in self.store.teaching.values() if any(a.id == assignment_id for a in t.assignments)),
                    None)

    def _open_for_staff(self, staff_id: str, org_id: str, after: date) -> list[ClassTeaching]:
        return [t for t in self.store.teaching.values() if t.org_id == org_id and t.open_for_staff(staff_id, after)]

    def for_staff(self, staff_id: str, day: date | None = None) -> list[TeachingAssignment]:
        return [a for a in self._all() if a.staff_id == staff_id and (day is None or a.active_on(day))]

    def for_class(self, class_id: str, day: date | None = None) -> list[TeachingAssignment]:
        return [a for a in self._all() if a.class_id == class_id and (day is None or a.active_on(day))]

    def for_org(self, org_id: str, day: date) -> list[TeachingAssignment]:
        return [a for a in self._all() if a.org_id == org_id and a.active_on(day)]


class FakeDirectory(DirectoryRepository):
    def __init__(self, store: Store) -> None:
        self.store = store

    def org(self, org_id: str) -> OrgInfo | None:
        return self.store.orgs.get(org_id)

    def class_info(self, class_id: str) -> ClassInfo | None:
        return self.store.classes.get(class_id)

    def classes_of_org(self, org_id: str, school_year: str) -> list[ClassInfo]:
        return [c for c in self.store.classes.values() if c.org_id == org_id and c.school_year == school_year]

    def save_org(self, org: OrgInfo) -> None:
        self.store.orgs[org.org_id] = org

    def save_class(self, info: ClassInfo) -> None:
        self.store.classes[info.class_id] = info


class FakeAudit(AuditRepository):
    def __init__(self, store: Store) -> None:
        self.store = store

    def add(self, read: PersonalDataRead) -> None:
        self.store.reads.append(read)

    def for_staff(self, staff_id: str) -> list[PersonalDataRead]:
        return [r for r in self.store.reads if r.staff_id == staff_id]


class FakeUnitOfWork(AbstractUnitOfWork):
    """Works on a deep copy of the store and writes it back on commit, so a refused change leaves no trace."""

    def __init__(self, committed: Store) -> None:
        self.committed = committed
        self.working = copy.deepcopy(committed)
        self.staff, self.positions = FakeStaff(self.working), FakePositions(self.working)
        self.vacancies, self.teaching = FakeVacancies(self.working), FakeTeaching(self.working)
        self.directory, self.audit = FakeDirectory(self.working), FakeAudit(self.working)

    def _stage(self, events: list[Event]) -> None:
        self.working.outbox.extend(events)

    def _commit(self) -> None:
        self.committed.__dict__.update(copy.deepcopy(self.working).__dict__)

    def rollback(self) -> None:
        """Nothing to undo: an uncommitted working copy is simply never written back."""


SCHOOL, OTHER_SCHOOL, FAR_SCHOOL = "org-school-1", "org-school-2", "org-school-far"
YEAR = "2024-2025"
SEPT_1 = date(2024, 9, 1)
MALE_1985 = "УБ85031512"    # born 1985-03-15, male
FEMALE_1992 = "ТА92112024"  # born 1992-11-20, female


class World:
    """A small school system to act on: three schools (two in aimag 011), admins, helpers to hire and assign."""

    def __init__(self, bus: MessageBus, store: Store) -> None:
        self.bus, self.store = bus, store
        self.admin = Actor("acc-admin-1", Role.SCHOOL_ADMIN, frozenset({SCHOOL}))
        self.other_admin = Actor("acc-admin-2", Role.SCHOOL_ADMIN, frozenset({OTHER_SCHOOL}))

    def handle(self, command: commands.Command) -> Any:
        return self.bus.handle(command)

    def position(self, org: str = SCHOOL, kind: str = "teacher", fte: str = "1", subject: str = "") -> Position:
        return self.handle(commands.CreatePosition(self._admin_for(org), org, kind, fte, subject))

    def hire(self, register_number: str = MALE_1985, *, position: Position | None = None, start: date = SEPT_1,
             fte: str = "1", **person: Any) -> staff_handlers.Hired:
        position = position or self.position()
        born = {} if {"birth_date", "sex"} <= person.keys() else _born(register_number)
        details = {"register_number": register_number, "patronymic": "Батын", "given_name": "Болд", **born, **person}
        return self.handle(commands.HireStaff(self._admin_for(position.org_id), commands.PersonDetails(**details),
                                              position.id, fte, start))

    def add_class(self, class_id: str = "class-5a", org: str = SCHOOL, year: str = YEAR,
                  subjects: dict[str, int] | None = None) -> ClassInfo:
        info = ClassInfo(class_id, org, year, class_id, 5, subjects if subjects is not None else
                         {"math": 5, "mongolian": 6, "science": 3})
        self.store.classes[class_id] = info
        return info

    def assign(self, staff_id: str, class_id: str = "class-5a", subject: str = "math", hours: int = 5,
               start: date | None = None, last_day: date | None = None) -> teaching_handlers.Assigned:
        org = self.store.classes[class_id].org_id
        return self.handle(commands.AssignTeaching(self._admin_for(org), staff_id, class_id, subject, YEAR, hours,
                                                   start, last_day))

    def events(self, kind: type) -> list[Any]:
        return [e for e in self.store.outbox if isinstance(e, kind)]

    def staff(self, staff_id: str) -> StaffMember:
        return self.store.staff[staff_id]

    def _admin_for(self, org: str) -> Actor:
        return Actor(f"acc-admin-{org}", Role.SCHOOL_ADMIN, frozenset({org}))


def _born(register_number: str) -> dict[str, Any]:
    number = national_id.parse(register_number)
    return {"birth_date": number.birth_date, "sex": number.sex.value}


@pytest.fixture
def store() -> Store:
    store = Store()
    for org in (OrgInfo(SCHOOL, "1-р сургууль", "011"), OrgInfo(OTHER_SCHOOL, "2-р сургууль", "011"),
                OrgInfo(FAR_SCHOOL, "Алсын сургууль", "065")):
        store.orgs[org.org_id] = org
    return store


@pytest.fixture
def bus(store: Store) -> MessageBus:
    ids = (f"id-{n}" for n in itertools.count(1))
    context = Context(load_ranks(), Policy(workload_norm_hours=19), now=lambda: datetime(2024, 10, 1, 9, tzinfo=UTC),
                      new_id=lambda: next(ids))
    return MessageBus(lambda: FakeUnitOfWork(store), context)


@pytest.fixture
def world(bus: MessageBus, store: Store) -> World:
    return World(bus, store)
