"""The country plan: how many schools and kindergartens each region has, where, whose, and how many children.

Small (one row per institution) and computed up front, so the progress bar knows the total and the people can
then be generated one institution at a time.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from bench.synthetic.allocate import largest_remainder, new_id, stream, with_floor
from bench.synthetic.geography import Place, Region
from bench.synthetic.reference import Reference

SCHOOL, KINDERGARTEN = "school", "kindergarten"
_KIND_MN = {SCHOOL: "сургууль", KINDERGARTEN: "цэцэрлэг"}
_KIND_EN = {SCHOOL: "school", KINDERGARTEN: "kindergarten"}


@dataclass(frozen=True)
class Institution:
    id: str
    kind: str
    ownership: str  # state | private
    place: str      # ub | centre | soum
    region: Region
    seat: Place     # the soum or UB district it belongs to
    area: Place     # catchment area: UB khoroo or the soum
    number: int
    children: int   # pupils of a school, children of a kindergarten

    @property
    def profile(self) -> str:
        return f"{self.place}_{self.ownership}"

    @property
    def aimag_code(self) -> str:
        return self.region.unit.code

    @property
    def name_mn(self) -> str:
        return f"{self.seat.name_mn}, {self.number}-р {_KIND_MN[self.kind]}"

    def row(self) -> dict[str, object]:
        return {"id": self.id, "kind": self.kind, "ownership": self.ownership, "name_mn": self.name_mn,
                "name_en": f"{self.seat.name_en}, {_KIND_EN[self.kind]} {self.number}", "unit_id": self.seat.id,
                "aimag_code": self.aimag_code, "area_code": self.area.code, "place": self.place}


@dataclass(frozen=True)
class _Counts:
    institutions: list[int]
    private: list[int]
    children: list[int]


def plan(ref: Reference, regions: list[Region], scale: float, seed: int) -> list[Institution]:
    """Schools then kindergartens, region by region (the order the generator writes them in)."""
    plans = []
    for kind in (SCHOOL, KINDERGARTEN):
        counts = _counts(ref, regions, scale, kind)
        for index, region in enumerate(regions):
            rng = stream(seed, "plan", kind, region.unit.code)
            plans += _region_institutions(ref, region, kind, counts, index, rng)
    return plans


def _counts(ref: Reference, regions: list[Region], scale: float, kind: str) -> _Counts:
    nat, shp = ref.national, ref.shaping
    figures = nat["schools"] if kind == SCHOOL else nat["kindergartens"]
    share = shp["ub_school_share"] if kind == SCHOOL else shp["ub_kindergarten_share"]
    private_ub = shp["private_schools_in_ub"] if kind == SCHOOL else shp["private_kindergartens_in_ub"]
    children = nat["pupils"] if kind == SCHOOL else nat["kindergarten_children"]
    child_share = nat["ub_pupil_share"] if kind == SCHOOL else shp["ub_kindergarten_child_share"]
    institutions = _split(round(figures["total"] * scale), share, regions, ref, floor=1)
    private = _split(round((figures["total"] - figures["state"]) * scale), private_ub, regions, ref, floor=0)
    private = [min(p, max(n - 1, 0)) for p, n in zip(private, institutions, strict=True)]
    return _Counts(institutions, private, _split(round(children * scale), child_share, regions, ref, floor=0))


def _split(total: int, capital_share: float, regions: list[Region], ref: Reference, *, floor: int) -> list[int]:
    """``capital_share`` of ``total`` to Ulaanbaatar, the rest to the aimags by population weight."""
    weights = ref.shaping["aimag_weights"]
    capital = max(round(total * capital_share), floor)
    aimags = [r for r in regions if not r.is_capital]
    shares = iter(with_floor(total - capital, [weights[int(r.unit.code)] for r in aimags], floor))
    return [capital if r.is_capital else next(shares) for r in regions]


def _region_institutions(ref: Reference, region: Region, kind: str, counts: _Counts, index: int,
                         rng: random.Random) -> list[Institution]:
    slots = _slots(ref, region, counts.institutions[index])
    private = _private_indices(slots, counts.private[index])
    ownership = ["private" if i in private else "state" for i in range(len(slots))]
    weights = [ref.shaping["institution_weight"][f"{place}_{own}"] * rng.lognormvariate(0, 0.25)
               for (place, _, _), own in zip(slots, ownership, strict=True)]
    children = largest_remainder(counts.children[index], weights)
    return [Institution(new_id(rng), kind, own, place, region, seat, area, number + 1, n)
            for number, ((place, seat, area), own, n) in enumerate(zip(slots, ownership, children, strict=True))]


def _slots(ref: Reference, region: Region, count: int) -> list[tuple[str, Place, Place]]:
    """(place, seat, area) for each institution of a region: UB by district size, aimags centre-heavy."""
    if region.is_capital:
        per_district = largest_remainder(count, [len(region.areas[s.id]) for s in region.seats])
        return [("ub", seat, _area(region, seat, n)) for seat, k in zip(region.seats, per_district, strict=True)
                for n in range(k)]
    centre_count = min(count, max(1, round(count * ref.shaping["aimag_centre_institution_share"])))
    if len(region.seats) == 1:
        centre_count = count
    others = region.seats[1:]
    rest = [others[i % len(others)] for i in range(count - centre_count)] if others else []
    return [("centre", region.seats[0], region.seats[0])] * centre_count + [("soum", s, s) for s in rest]


def _area(region: Region, seat: Place, n: int) -> Place:
    areas = region.areas[seat.id]
    return areas[(n * 7) % len(areas)]


def _private_indices(slots: list[tuple[str, Place, Place]], count: int) -> set[int]:
    """Private institutions sit in the city / aimag centre, spread evenly over it."""
    candidates = [i for i, (place, _, _) in enumerate(slots) if place in ("ub", "centre")] or list(range(len(slots)))
    if count >= len(candidates):
        others = [i for i in range(len(slots)) if i not in set(candidates)]
        return set(candidates) | set(others[: count - len(candidates)])
    return {candidates[(j * len(candidates)) // count] for j in range(count)}
