"""Effective-dated organisation hierarchy as stats sees it (built from education's org events).

A unit's parent link is valid on ``[valid_from, valid_to)``; moves add links and end the previous one, so
every aggregation is asked ``as_of`` a day and uses the hierarchy of that day.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

NATIONAL = "national"
# The reporting levels, bottom up, and the org kinds that sit at each.
LEVEL_KINDS: dict[str, frozenset[str]] = {
    "school": frozenset({"school", "kindergarten"}),
    "soum": frozenset({"soum", "district"}),
    "aimag": frozenset({"aimag", "capital"}),
    NATIONAL: frozenset({"ministry"}),
}
LEVEL_ORDER = ("school", "soum", "aimag", NATIONAL)


@dataclass
class Link:
    parent_id: str
    valid_from: date
    valid_to: date | None = None

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)


@dataclass
class Unit:
    id: str
    kind: str
    code: str
    name: str
    opened_on: date
    closed_on: date | None = None
    links: list[Link] = field(default_factory=list)

    def parent_id(self, day: date) -> str | None:
        return next((link.parent_id for link in self.links if link.covers(day)), None)

    def is_open(self, day: date) -> bool:
        return self.opened_on <= day and (self.closed_on is None or day < self.closed_on)

    @property
    def level(self) -> str:
        return next(level for level, kinds in LEVEL_KINDS.items() if self.kind in kinds)

    def move(self, parent_id: str, on: date) -> None:
        for link in self.links:
            if link.covers(on):
                link.valid_to = on
        self.links.append(Link(parent_id, on))


class Hierarchy:
    def __init__(self, units: Iterable[Unit] = ()) -> None:
        self.units = {u.id: u for u in units}

    def add(self, unit: Unit) -> None:
        self.units[unit.id] = unit

    def get(self, unit_id: str) -> Unit | None:
        return self.units.get(unit_id)

    def chain(self, unit_id: str, day: date) -> list[str]:
        """``unit_id`` and its ancestors on ``day``, nearest first."""
        chain = [unit_id]
        unit = self.units.get(unit_id)
        while unit is not None and (parent := unit.parent_id(day)) and parent not in chain:
            chain.append(parent)
            unit = self.units.get(parent)
        return chain

    def area_at(self, unit_id: str, level: str, day: date) -> str | None:
        """The unit of reporting ``level`` that ``unit_id`` lies in on ``day`` (``national`` for the nation)."""
        if level == NATIONAL:
            return NATIONAL
        for candidate in self.chain(unit_id, day):
            unit = self.units.get(candidate)
            if unit is not None and unit.kind in LEVEL_KINDS[level]:
                return candidate
        return None

    def aimag_code(self, unit_id: str, day: date) -> str | None:
        area = self.area_at(unit_id, "aimag", day)
        return self.units[area].code if area else None

    def children(self, unit_id: str, day: date) -> list[Unit]:
        return sorted((u for u in self.units.values() if u.is_open(day) and u.parent_id(day) == unit_id),
                      key=lambda u: u.id)

    def reporting_children(self, unit_id: str, day: date) -> list[str]:
        """The units one reporting level below ``unit_id`` (``national``: every aimag and the capital)."""
        if unit_id == NATIONAL:
            return sorted(u.id for u in self.units.values() if u.level == "aimag" and u.is_open(day))
        return [u.id for u in self.children(unit_id, day)]

    def is_within(self, unit_id: str, area_id: str, day: date) -> bool:
        return area_id == NATIONAL or area_id in self.chain(unit_id, day)
