"""Positions (орон тоо) of an organisation and the vacancies opened for them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

from hr.domain.errors import Conflict
from hr.domain.events import Event, VacancyCancelled, VacancyFilled, VacancyOpened
from hr.domain.kinds import PositionKind
from hr.domain.values import Period


@dataclass
class Position:
    """A post in an organisation's staffing table, e.g. a 1.0 FTE mathematics teacher."""

    id: str
    org_id: str
    kind: PositionKind
    fte: Decimal
    subject_code: str = ""
    title: str = ""

    def check_room_for(self, fte: Decimal, period: Period, holdings: Iterable[tuple[Decimal, Period]]) -> None:
        """Refuse an appointment that would fill the post beyond its FTE on any day of ``period``."""
        busiest = peak_load(holdings, period)
        if busiest + fte > self.fte:
            free = max(self.fte - busiest, Decimal(0))
            raise Conflict("position_full", f"Орон тоо ({self.kind.label()}, {self.fte}) дүүрсэн: {free} сул байхад "
                           f"{fte}-г томилох боломжгүй.", f"The position ({self.kind.label('en')}, {self.fte} FTE) is "
                           f"full: {free} FTE is free, {fte} was asked.", field="position_id",
                           details={"position_id": self.id, "free_fte": str(free)})


def peak_load(holdings: Iterable[tuple[Decimal, Period]], window: Period) -> Decimal:
    """The highest sum of FTE on any single day of ``window``."""
    relevant = [(amount, period) for amount, period in holdings if period.overlaps(window)]
    change_days = {window.start} | {p.start for _, p in relevant if window.contains(p.start)}
    loads = (sum((a for a, p in relevant if p.contains(day)), Decimal(0)) for day in change_days)
    return max(loads, default=Decimal(0))


class VacancyStatus(StrEnum):
    OPEN = "open"
    FILLED = "filled"
    CANCELLED = "cancelled"


@dataclass
class Vacancy:
    id: str
    org_id: str
    position_id: str
    kind: PositionKind
    subject_code: str
    fte: Decimal
    opened_on: date
    status: VacancyStatus = VacancyStatus.OPEN
    filled_by: str | None = None
    closed_on: date | None = None
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    @classmethod
    def open(cls, vacancy_id: str, position: Position, opened_on: date, fte: Decimal | None = None) -> Vacancy:
        vacancy = cls(vacancy_id, position.org_id, position.id, position.kind, position.subject_code,
                      fte or position.fte, opened_on)
        vacancy.events.append(VacancyOpened(vacancy_id, position.org_id, position.id, position.kind.value,
                                            position.subject_code, vacancy.fte, opened_on))
        return vacancy

    def fill(self, staff_id: str, on: date) -> None:
        self._require_open()
        self.status, self.filled_by, self.closed_on = VacancyStatus.FILLED, staff_id, on
        self.events.append(VacancyFilled(self.id, self.org_id, self.position_id, staff_id, on))

    def cancel(self, on: date) -> None:
        self._require_open()
        self.status, self.closed_on = VacancyStatus.CANCELLED, on
        self.events.append(VacancyCancelled(self.id, self.org_id, self.position_id, on))

    def _require_open(self) -> None:
        if self.status is not VacancyStatus.OPEN:
            raise Conflict("vacancy_closed", f"Сул орон тоо аль хэдийн хаагдсан ({self.status.value}).",
                           f"The vacancy is already closed ({self.status.value}).", details={"vacancy_id": self.id})
