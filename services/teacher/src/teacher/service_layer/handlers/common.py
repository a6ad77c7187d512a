"""What every handler needs: the context (reference data, clock, ids) and loaders that fail clearly."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone

from esis_shared import clock

from teacher.domain.errors import NotFound, Refused, not_found
from teacher.domain.events import Where
from teacher.domain.reference import Reference, SchoolYear
from teacher.domain.rosters import ClassRoster
from teacher.service_layer.unit_of_work import AbstractUnitOfWork

# Mongolia keeps UTC+8 all year (no daylight saving since 2017); "today" for a school is its local date.
MONGOLIA = timezone(timedelta(hours=8), "Asia/Ulaanbaatar")


def _now() -> datetime:
    return datetime.now(UTC)


def _new_id() -> str:
    return str(uuid.uuid4())


@dataclass(frozen=True)
class Context:
    reference: Reference
    now: Callable[[], datetime] = field(default=_now)
    new_id: Callable[[], str] = field(default=_new_id)

    def today(self) -> date:
        return clock.today(MONGOLIA, self.now())  # ESIS_TODAY moves it in development


def load_roster(uow: AbstractUnitOfWork, class_id: str) -> ClassRoster:
    roster = uow.rosters.roster(class_id)
    if roster is None:
        raise not_found("Class", "Анги", class_id, code="class_not_found")
    return roster


def where_of(roster: ClassRoster) -> Where:
    return Where(roster.class_id, roster.info.school_id, roster.info.aimag)


def school_year_of(ctx: Context, roster: ClassRoster) -> SchoolYear:
    return ctx.reference.calendar.year(roster.info.school_year)


def not_in_future(day: date, ctx: Context, field: str = "day") -> None:
    if day > ctx.today():
        raise Refused(f"{day.isoformat()} is in the future", f"{day.isoformat()} өдөр хараахан болоогүй байна.",
                      code="date_in_future", field=field)


def require_found(value: object, what: str, what_mn: str, ident: str) -> None:
    if value is None:
        raise NotFound(f"{what} {ident} was not found", f"{what_mn} олдсонгүй ({ident}).", id=ident)
