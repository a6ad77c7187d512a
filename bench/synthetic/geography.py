"""The administrative hierarchy: ministry → capital / 21 aimags → UB districts / soums → UB khoroos.

The first-level units and districts come from admin_units.csv; soums and khoroos are numbered synthetic units
(their count per aimag / district is the real one, their names say which aimag and number they are).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bench.synthetic.allocate import new_id, stream
from bench.synthetic.reference import AdminUnit, Reference


@dataclass(frozen=True)
class Place:
    id: str
    kind: str  # ministry, capital, aimag, district, soum, khoroo
    code: str
    name_mn: str
    name_en: str
    parent_id: str
    aimag_code: str  # NSO code of the first-level unit (UB: 11)
    register_letter: str
    centre: bool = False  # an aimag's centre soum (the first one)

    def row(self) -> dict[str, object]:
        return {"id": self.id, "kind": self.kind, "code": self.code, "name_mn": self.name_mn,
                "name_en": self.name_en, "parent_id": self.parent_id, "aimag_code": self.aimag_code,
                "register_letter": self.register_letter, "centre": self.centre}


@dataclass(frozen=True)
class Region:
    """One first-level unit with the units schools sit in (soums or districts) and the catchment areas."""

    unit: Place
    seats: tuple[Place, ...]            # soums of an aimag (centre first) or UB districts
    areas: dict[str, tuple[Place, ...]]  # seat id -> khoroos (UB) or the soum itself (aimags)

    @property
    def is_capital(self) -> bool:
        return self.unit.kind == "capital"


def build(ref: Reference, seed: int) -> tuple[Place, list[Region]]:
    rng = stream(seed, "geography")
    ministry = Place(new_id(rng), "ministry", "MN", "Боловсролын яам (synthetic)", "Ministry of Education (synthetic)",
                     "", "", "")
    regions = [_region(ref, unit, ministry, rng) for unit in ref.first_level]
    return ministry, regions


def _region(ref: Reference, unit: AdminUnit, ministry: Place, rng: random.Random) -> Region:
    place = Place(new_id(rng), unit.kind, unit.nso_code, unit.name_mn, unit.name_en, ministry.id,
                  unit.nso_code, unit.register_letter)
    if unit.kind == "capital":
        seats = tuple(_district(d, place, rng) for d in ref.districts)
        areas = {s.id: _khoroos(s, count, rng) for s, count in zip(seats, (d.subunits for d in ref.districts),
                                                                    strict=True)}
    else:
        seats = tuple(_soum(unit, place, i, rng) for i in range(1, unit.subunits + 1))
        areas = {s.id: (s,) for s in seats}
    return Region(place, seats, areas)


def _district(unit: AdminUnit, capital: Place, rng: random.Random) -> Place:
    return Place(new_id(rng), "district", unit.nso_code, unit.name_mn, unit.name_en, capital.id,
                 capital.code, capital.register_letter)


def _soum(aimag: AdminUnit, parent: Place, number: int, rng: random.Random) -> Place:
    centre = number == 1
    name_mn = f"{aimag.name_mn} төв сум" if centre else f"{aimag.name_mn} {number}-р сум"
    name_en = f"{aimag.name_en} centre soum" if centre else f"{aimag.name_en} soum {number}"
    return Place(new_id(rng), "soum", f"{aimag.nso_code}{2 * number - 1:02d}", name_mn, name_en,
                 parent.id, aimag.nso_code, aimag.register_letter, centre)


def _khoroos(district: Place, count: int, rng: random.Random) -> tuple[Place, ...]:
    return tuple(Place(new_id(rng), "khoroo", f"{district.code}{n:02d}", f"{district.name_mn} {n}-р хороо",
                       f"{district.name_en} khoroo {n}", district.id, district.aimag_code, district.register_letter)
                 for n in range(1, count + 1))


def all_places(ministry: Place, regions: list[Region]) -> list[Place]:
    places = [ministry]
    for region in regions:
        places.append(region.unit)
        for seat in region.seats:
            places.append(seat)
            places.extend(a for a in region.areas[seat.id] if a.kind == "khoroo")
    return places
