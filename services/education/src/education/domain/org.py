"""Effective-dated organisation hierarchy: ministry → aimags / capital → soums / districts → schools.

A parent link is valid on ``[valid_from, valid_to)``. Moves, merges and closures add or end links; they never
rewrite a past link, so every question can be asked ``as_of`` a date and gets the answer of that day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from education.domain import events
from education.domain.base import Aggregate
from education.domain.errors import Conflict, invalid, parse_enum


class OrgKind(StrEnum):
    MINISTRY = "ministry"
    CAPITAL = "capital"
    AIMAG = "aimag"
    DISTRICT = "district"
    SOUM = "soum"
    SCHOOL = "school"
    KINDERGARTEN = "kindergarten"


class Ownership(StrEnum):
    STATE = "state"
    PRIVATE = "private"


FIRST_LEVEL = frozenset({OrgKind.CAPITAL, OrgKind.AIMAG})
# A first-level unit's code is its NSO code ("65", "11"); it travels as every event's ``OrgRef.aimag_code`` and
# ``aimag`` header, names feeds' topics (``feeds.aimag.65.v1``) and is kept by consumers in short columns (parent's
# is 8 characters), so it is held to that length here rather than the 40 other units' codes may have.
FIRST_LEVEL_CODE_MAX = 8
INSTITUTIONS = frozenset({OrgKind.SCHOOL, OrgKind.KINDERGARTEN})
ALLOWED_PARENTS: dict[OrgKind, frozenset[OrgKind]] = {
    OrgKind.MINISTRY: frozenset(),
    OrgKind.CAPITAL: frozenset({OrgKind.MINISTRY}),
    OrgKind.AIMAG: frozenset({OrgKind.MINISTRY}),
    OrgKind.DISTRICT: frozenset({OrgKind.CAPITAL}),
    OrgKind.SOUM: frozenset({OrgKind.AIMAG}),
    OrgKind.SCHOOL: frozenset({OrgKind.SOUM, OrgKind.DISTRICT}),
    OrgKind.KINDERGARTEN: frozenset({OrgKind.SOUM, OrgKind.DISTRICT}),
}


@dataclass
class ParentLink:
    parent_id: str
    valid_from: date
    valid_to: date | None = None

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


@dataclass(eq=False)
class OrgUnit(Aggregate):
    id: str
    kind: OrgKind
    code: str
    name_mn: str
    name_en: str = ""
    opened_on: date = date(1990, 1, 1)
    closed_on: date | None = None
    merged_into_id: str | None = None
    ownership: Ownership | None = None
    address: str = ""
    catchment: list[str] = field(default_factory=list)
    links: list[ParentLink] = field(default_factory=list)

    @classmethod
    def create(cls, *, id: str, kind: OrgKind, code: str, name_mn: str, parent: OrgUnit | None,
               opened_on: date, **extra: object) -> OrgUnit:
        kind = parse_enum(OrgKind, kind, "kind")
        if kind in FIRST_LEVEL and len(code) > FIRST_LEVEL_CODE_MAX:
            raise invalid("code", "org_first_level_code_length",
                          f"Аймаг, нийслэлийн код (ҮСХ-ны код) {FIRST_LEVEL_CODE_MAX} тэмдэгтээс урт байж болохгүй.",
                          f"An aimag's or the capital's code (its NSO code) is at most {FIRST_LEVEL_CODE_MAX} "
                          "characters.", value=code, max_length=FIRST_LEVEL_CODE_MAX)
        unit = cls(id=id, kind=kind, code=code, name_mn=name_mn, opened_on=opened_on, **extra)  # type: ignore[arg-type]
        if parent is not None:
            _check_parent_kind(unit, parent)
            unit.links.append(ParentLink(parent.id, opened_on))
        elif kind is not OrgKind.MINISTRY:
            raise invalid("parent_id", "org_parent_required", "Дээд шатны нэгжийг заана уу.",
                          "A parent unit is required.")
        unit.record(events.OrgUnitCreated(id, kind.value, code, name_mn, parent.id if parent else None, opened_on))
        return unit

    def parent_id(self, as_of: date) -> str | None:
        return next((link.parent_id for link in self.links if link.covers(as_of)), None)

    def is_open(self, as_of: date) -> bool:
        return self.opened_on <= as_of and (self.closed_on is None or as_of < self.closed_on)

    def move_to(self, parent: OrgUnit, on: date) -> None:
        self._require_open(on)
        _check_parent_kind(self, parent)
        if not parent.is_open(on):
            raise Conflict(f"{parent.name_mn} {on} өдөр нээлттэй биш байна.", f"{parent.name_en or parent.code} is "
                           f"not open on {on}.", code="org_parent_closed", details={"parent_id": parent.id})
        current = self._link_at(on)
        if current is not None and current.parent_id == parent.id:
            return
        self._end_link(current, on)
        self.links.append(ParentLink(parent.id, on))
        self.record(events.OrgUnitMoved(self.id, current.parent_id if current else None, parent.id, on))

    def close(self, on: date, *, merged_into: OrgUnit | None = None) -> None:
        self._require_open(on)
        self.closed_on = on
        self.merged_into_id = merged_into.id if merged_into else None
        self.record(events.OrgUnitClosed(self.id, on, self.merged_into_id))

    def set_catchment(self, area_codes: Iterable[str]) -> None:
        self.catchment = sorted({c.strip() for c in area_codes if c.strip()})
        self.record(events.CatchmentChanged(self.id, tuple(self.catchment)))

    def _link_at(self, on: date) -> ParentLink | None:
        return next((link for link in self.links if link.covers(on)), None)

    def _end_link(self, link: ParentLink | None, on: date) -> None:
        if link is None:
            return
        if on <= link.valid_from:
            raise invalid("on", "org_move_before_link", f"Шилжих огноо {link.valid_from}-с хойш байх ёстой.",
                          f"The move date must be after {link.valid_from}, when the current link began.")
        link.valid_to = on

    def _require_open(self, on: date) -> None:
        if not self.is_open(on):
            raise Conflict(f"{self.name_mn} {on} өдөр нээлттэй биш байна.", f"{self.name_en or self.code} is not "
                           f"open on {on}.", code="org_unit_closed", details={"unit_id": self.id})


def merge(source: OrgUnit, target: OrgUnit, children: Iterable[OrgUnit], on: date) -> None:
    """Move every open child of ``source`` to ``target`` and close ``source``, all effective ``on``."""
    if source.kind is not target.kind:
        raise invalid("target_id", "org_merge_kind", "Зөвхөн ижил төрлийн нэгжийг нэгтгэнэ.",
                      "Only units of the same kind can be merged.")
    for child in children:
        if child.is_open(on) and child.parent_id(on) == source.id:
            child.move_to(target, on)
    source.close(on, merged_into=target)


def _check_parent_kind(unit: OrgUnit, parent: OrgUnit) -> None:
    if parent.kind not in ALLOWED_PARENTS[unit.kind]:
        allowed = ", ".join(sorted(ALLOWED_PARENTS[unit.kind])) or "none"
        raise invalid("parent_id", "org_parent_kind", f"{unit.kind} нэгжийн дээд шат {parent.kind} байж болохгүй.",
                      f"A {unit.kind} cannot sit under a {parent.kind} (allowed: {allowed}).",
                      parent_kind=parent.kind.value)


class Hierarchy:
    """Read-only view of all units for questions asked ``as_of`` a date."""

    def __init__(self, units: Iterable[OrgUnit]) -> None:
        self.units = {u.id: u for u in units}

    def get(self, unit_id: str) -> OrgUnit | None:
        return self.units.get(unit_id)

    def ancestors(self, unit_id: str, as_of: date) -> list[str]:
        chain: list[str] = []
        unit = self.units.get(unit_id)
        while unit is not None and (parent_id := unit.parent_id(as_of)) and parent_id not in chain:
            chain.append(parent_id)
            unit = self.units.get(parent_id)
        return chain

    def is_within(self, unit_id: str, area_id: str, as_of: date) -> bool:
        return unit_id == area_id or area_id in self.ancestors(unit_id, as_of)

    def first_level(self, unit_id: str, as_of: date) -> OrgUnit | None:
        for candidate in [unit_id, *self.ancestors(unit_id, as_of)]:
            unit = self.units.get(candidate)
            if unit is not None and unit.kind in FIRST_LEVEL:
                return unit
        return None

    def children(self, unit_id: str, as_of: date) -> list[OrgUnit]:
        return [u for u in self.units.values() if u.is_open(as_of) and u.parent_id(as_of) == unit_id]

    def institutions_within(self, area_id: str, as_of: date) -> list[OrgUnit]:
        return [u for u in self.units.values()
                if u.kind in INSTITUTIONS and u.is_open(as_of) and self.is_within(u.id, area_id, as_of)]
