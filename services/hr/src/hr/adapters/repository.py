"""Repository ports: what the service layer needs from storage. SQL and in-memory fakes implement them."""

from __future__ import annotations

import abc
from datetime import date
from decimal import Decimal

from hr.domain.assignments import ClassTeaching, TeachingAssignment
from hr.domain.audit import PersonalDataRead
from hr.domain.directory import ClassInfo, OrgInfo
from hr.domain.positions import Position, Vacancy, VacancyStatus
from hr.domain.staff import StaffMember
from hr.domain.values import Period, SchoolYear


class Tracking:
    """Remembers the aggregates a unit of work touched, so their events can be collected."""

    def __init__(self) -> None:
        self.seen: list[object] = []

    def _track(self, aggregate: object | None) -> None:
        if aggregate is not None and all(aggregate is not s for s in self.seen):
            self.seen.append(aggregate)


class StaffRepository(Tracking, abc.ABC):
    def add(self, staff: StaffMember) -> None:
        self._add(staff)
        self._track(staff)

    def get(self, staff_id: str) -> StaffMember | None:
        staff = self._get(staff_id)
        self._track(staff)
        return staff

    def get_by_register_number(self, register_number: str) -> StaffMember | None:
        staff = self._get_by_register_number(register_number)
        self._track(staff)
        return staff

    @abc.abstractmethod
    def _add(self, staff: StaffMember) -> None: ...

    @abc.abstractmethod
    def _get(self, staff_id: str) -> StaffMember | None: ...

    @abc.abstractmethod
    def _get_by_register_number(self, register_number: str) -> StaffMember | None: ...

    @abc.abstractmethod
    def get_by_account(self, account_id: str) -> StaffMember | None: ...

    @abc.abstractmethod
    def list_at_org(self, org_id: str, day: date) -> list[StaffMember]:
        """Staff with an appointment at ``org_id`` on ``day`` (read only, not tracked)."""

    @abc.abstractmethod
    def holdings(self, position_id: str) -> list[tuple[Decimal, Period]]:
        """FTE and period of every appointment ever made to a position."""

    @abc.abstractmethod
    def names(self, staff_ids: list[str]) -> dict[str, str]:
        """Short display names (Б.Болд) by staff id."""


class PositionRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, position: Position) -> None: ...

    @abc.abstractmethod
    def get(self, position_id: str) -> Position | None: ...

    @abc.abstractmethod
    def list_for_org(self, org_id: str) -> list[Position]: ...


class VacancyRepository(Tracking, abc.ABC):
    def add(self, vacancy: Vacancy) -> None:
        self._add(vacancy)
        self._track(vacancy)

    def get(self, vacancy_id: str) -> Vacancy | None:
        vacancy = self._get(vacancy_id)
        self._track(vacancy)
        return vacancy

    def oldest_open(self, position_id: str) -> Vacancy | None:
        vacancy = self._oldest_open(position_id)
        self._track(vacancy)
        return vacancy

    @abc.abstractmethod
    def _add(self, vacancy: Vacancy) -> None: ...

    @abc.abstractmethod
    def _get(self, vacancy_id: str) -> Vacancy | None: ...

    @abc.abstractmethod
    def _oldest_open(self, position_id: str) -> Vacancy | None: ...

    @abc.abstractmethod
    def list_for_org(self, org_id: str, status: VacancyStatus | None = None) -> list[Vacancy]: ...


class TeachingRepository(Tracking, abc.ABC):
    def add(self, teaching: ClassTeaching) -> None:
        self._add(teaching)
        self._track(teaching)

    def get(self, class_id: str, school_year: SchoolYear) -> ClassTeaching | None:
        teaching = self._get(class_id, school_year)
        self._track(teaching)
        return teaching

    def get_by_assignment(self, assignment_id: str) -> ClassTeaching | None:
        teaching = self._get_by_assignment(assignment_id)
        self._track(teaching)
        return teaching

    def open_for_staff(self, staff_id: str, org_id: str, after: date) -> list[ClassTeaching]:
        """Classes at ``org_id`` where ``staff_id`` still teaches after ``after`` (tracked: they will change)."""
        found = self._open_for_staff(staff_id, org_id, after)
        for teaching in found:
            self._track(teaching)
        return found

    @abc.abstractmethod
    def _add(self, teaching: ClassTeaching) -> None: ...

    @abc.abstractmethod
    def _get(self, class_id: str, school_year: SchoolYear) -> ClassTeaching | None: ...

    @abc.abstractmethod
    def _get_by_assignment(self, assignment_id: str) -> ClassTeaching | None: ...

    @abc.abstractmethod
    def _open_for_staff(self, staff_id: str, org_id: str, after: date) -> list[ClassTeaching]: ...

    @abc.abstractmethod
    def for_staff(self, staff_id: str, day: date | None = None) -> list[TeachingAssignment]:
        """A teacher's assignments, all of them or those active on ``day``."""

    @abc.abstractmethod
    def for_class(self, class_id: str, day: date | None = None) -> list[TeachingAssignment]: ...

    @abc.abstractmethod
    def for_org(self, org_id: str, day: date) -> list[TeachingAssignment]: ...


class DirectoryRepository(abc.ABC):
    """Organisations and classes as last heard from the education service."""

    @abc.abstractmethod
    def org(self, org_id: str) -> OrgInfo | None: ...

    @abc.abstractmethod
    def class_info(self, class_id: str) -> ClassInfo | None: ...

    @abc.abstractmethod
    def classes_of_org(self, org_id: str, school_year: str) -> list[ClassInfo]: ...

    @abc.abstractmethod
    def save_org(self, org: OrgInfo) -> None: ...

    @abc.abstractmethod
    def save_class(self, info: ClassInfo) -> None: ...

    def aimags_of(self, org_ids: list[str] | tuple[str, ...]) -> dict[str, str | None]:
        return {org_id: (info.aimag_code if (info := self.org(org_id)) else None) for org_id in org_ids}

    def area_of(self, org_id: str) -> frozenset[str]:
        """The aimag codes an officer working at ``org_id`` oversees."""
        info = self.org(org_id)
        return frozenset({info.aimag_code}) if info and info.aimag_code else frozenset()


class AuditRepository(abc.ABC):
    @abc.abstractmethod
    def add(self, read: PersonalDataRead) -> None: ...

    @abc.abstractmethod
    def for_staff(self, staff_id: str) -> list[PersonalDataRead]: ...
