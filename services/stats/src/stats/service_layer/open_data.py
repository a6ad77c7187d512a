"""Open data: public tables by area × grade with small-cell suppression, and indicators without small counts.

No learner, staff or account id ever leaves through here: only areas (org ids of the public hierarchy), grades
and counts. A ratio whose numerator or denominator is under the threshold is published without its value.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from stats.domain.hierarchy import NATIONAL
from stats.domain.lineage import Figure
from stats.domain.suppression import PublishedTable, suppress
from stats.service_layer.figures import World, enrolment_by

GRADES = tuple(str(g) for g in range(1, 13))
TOTAL = "total"

DICTIONARY: dict[str, dict[str, str]] = {
    "area_id": {"en": "Organisation id of the area (aimag, capital, soum, district or school)",
                "mn": "Нутаг дэвсгэр / байгууллагын дугаар"},
    "area_name": {"en": "Name of the area", "mn": "Нэр"},
    "grade_1 … grade_12": {"en": "Learners of the grade on the census day", "mn": "Тухайн ангийн суралцагчид"},
    "total": {"en": "All grades; the row 'total' adds up the areas", "mn": "Бүх анги; 'total' мөр нь нийлбэр"},
    "suppressed": {"en": "Empty cell: fewer than 5 learners, or a cell that would let one compute such a count "
                         "from the totals", "mn": "Хоосон нүд: 5-аас цөөн, эсвэл нийлбэрээс тооцоолж болох нүд"},
    "census_date": {"en": "The day the counts refer to", "mn": "Тооллогын өдөр"},
    "rule_version": {"en": "Version of the indicator rules used", "mn": "Үзүүлэлтийн дүрмийн хувилбар"},
}


@dataclass(frozen=True)
class OpenTable:
    area_id: str
    year: int
    census_date: str
    rule_version: str
    names: dict[str, str]
    table: PublishedTable

    def records(self) -> list[dict[str, Any]]:
        """One dict per row (areas, then the totals row); suppressed cells are None. Built once (the table is kept
        per state of the projections and read on every request): treat the list as read-only."""
        return self._records

    @cached_property
    def _records(self) -> list[dict[str, Any]]:
        rows = [*self.table.rows, TOTAL]
        result = []
        for i, row in enumerate(rows):
            record: dict[str, Any] = {"area_id": row, "area_name": self.names.get(row, row)}
            for j, column in enumerate([*self.table.columns, TOTAL]):
                record[column if column == TOTAL else f"grade_{column}"] = self.table.value(i, j)
            result.append(record)
        return result


def enrolment_table(world: World, area_id: str, year: int, threshold: int, suppress_zeros: bool = False) -> OpenTable:
    """Learners of each area one level below ``area_id`` by grade, suppressed for publication (computed once per
    state of the projections: the suppression audit is exact linear algebra)."""
    return world.snapshot.memo(("open_table", area_id, year, threshold, suppress_zeros),
                               lambda: _enrolment_table(world, area_id, year, threshold, suppress_zeros))


def _enrolment_table(world: World, area_id: str, year: int, threshold: int, suppress_zeros: bool) -> OpenTable:
    day = world.census_day(year)
    children = world.hierarchy.reporting_children(area_id, day) if area_id == NATIONAL else [
        u.id for u in world.hierarchy.children(area_id, day)]
    level = {u: world.hierarchy.units[u].level for u in children if u in world.hierarchy.units}
    child_of: dict[str, str] = {}

    def key(org_id: str) -> str:
        if org_id not in child_of:
            child_of[org_id] = next((c for c in children if world.hierarchy.area_at(org_id, level[c], day) == c), "")
        return child_of[org_id]

    counts: Counter[tuple[str, str]] = enrolment_by(world, area_id, year, key)
    cells = [[counts[(child, g)] for g in GRADES] for child in children]
    names = {u: world.hierarchy.units[u].name for u in children}
    published = suppress(children, GRADES, cells or [[0] * len(GRADES)], threshold=threshold,
                         suppress_zeros=suppress_zeros)
    return OpenTable(area_id, year, day.isoformat(), world.rules(year).version, names, published)


def _rests_on_small_count(figure: Figure, threshold: int) -> bool:
    if figure.indicator in PARITY or figure.denominator <= 0:
        return False
    rest = figure.denominator - figure.numerator
    return figure.numerator < threshold or 0 <= rest < threshold


PARITY = frozenset({"gpi", "gpia"})


def open_figures(figures: list[Figure], threshold: int) -> list[dict[str, Any]]:
    """Figures for the public: no value when it rests on a small count, on either side of the ratio; a parity
    index goes too when the female or male figure it divides was withheld (it would give that one back)."""
    hidden = {id(f) for f in figures if _rests_on_small_count(f, threshold)}
    withheld = {(f.indicator, dict(f.dims).get("level")) for f in figures if id(f) in hidden}
    for f in figures:
        dims = dict(f.dims)
        if f.indicator in PARITY and (dims.get("of"), dims.get("level")) in withheld:
            hidden.add(id(f))
    return [_public(f, id(f) in hidden) for f in figures]


def _public(figure: Figure, hidden: bool) -> dict[str, Any]:
    return {"indicator": figure.indicator, "dims": dict(figure.dims), "value": None if hidden else figure.value,
            "suppressed": hidden, "rule_version": figure.lineage.rule_version,
            "census_date": figure.lineage.census_date.isoformat() if figure.lineage.census_date else None,
            "input_fingerprint": figure.lineage.input_fingerprint}
