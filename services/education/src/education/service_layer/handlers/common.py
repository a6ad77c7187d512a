"""What every handler needs: the context it runs in, and lookups that fail with a named 'not found'."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from education.domain.access import Actor
from education.domain.calendar import SchoolYear
from education.domain.classes import SchoolClass
from education.domain.errors import Conflict, invalid, not_found
from education.domain.learners import Learner
from education.domain.org import INSTITUTIONS, Hierarchy, OrgUnit
from education.domain.transfer import Transfer
from education.service_layer.clock import Clock
from education.service_layer.unit_of_work import AbstractUnitOfWork, Repository

T = TypeVar("T")


@dataclass
class Context:
    uow: AbstractUnitOfWork
    actor: Actor
    clock: Clock
    # Another unit of work, for what must be saved beside the main transaction (an import's progress).
    fresh: Callable[[], AbstractUnitOfWork] | None = None

    def hierarchy(self) -> Hierarchy:
        return Hierarchy(self.uow.org_units.all())


def fetch(repo: Repository[T], ident: str, what_mn: str, what_en: str) -> T:
    item = repo.get(ident)
    if item is None:
        raise not_found(what_mn, what_en, ident)
    return item


def org_unit(ctx: Context, unit_id: str) -> OrgUnit:
    return fetch(ctx.uow.org_units, unit_id, "Байгууллага", "Organisation unit")


def school(ctx: Context, school_id: str, on: date | None = None) -> OrgUnit:
    return check_school(org_unit(ctx, school_id), on or ctx.clock.today())


def check_school(unit: OrgUnit, day: date) -> OrgUnit:
    """The unit is a school or kindergarten, open on ``day`` (also used by the bulk path)."""
    if unit.kind not in INSTITUTIONS:
        raise invalid("school_id", "not_a_school", "Энэ нэгж сургууль, цэцэрлэг биш.",
                      "This unit is not a school or kindergarten.", kind=unit.kind.value)
    if not unit.is_open(day):
        raise Conflict(f"{unit.name_mn} {day} өдөр хаалттай.", f"{unit.name_en or unit.code} is closed on {day}.",
                       code="school_closed")
    return unit


def school_class(ctx: Context, class_id: str) -> SchoolClass:
    return fetch(ctx.uow.classes, class_id, "Бүлэг", "Class")


def learner(ctx: Context, learner_id: str) -> Learner:
    return fetch(ctx.uow.learners, learner_id, "Суралцагч", "Learner")


def school_year(ctx: Context, year_id: str) -> SchoolYear:
    return fetch(ctx.uow.school_years, year_id, "Хичээлийн жил", "School year")


def transfer(ctx: Context, transfer_id: str) -> Transfer:
    return fetch(ctx.uow.transfers, transfer_id, "Шилжүүлэг", "Transfer")


def current_school_id(found: Learner) -> str:
    """Where the learner belongs now: the school of the open enrolment, else the registering school."""
    current = found.open_enrolment
    return current.school_id if current else found.school_id


def seats_taken(ctx: Context, target: SchoolClass, on: date) -> int:
    return len(ctx.uow.learners.in_class(target.id, on))


def today_or(ctx: Context, day: date | None) -> date:
    return day or ctx.clock.today()
