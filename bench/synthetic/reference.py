"""Reference data of the synthetic country: figures, admin units, curriculum, names (files in ``reference/``)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import yaml

REFERENCE_DIR = Path(__file__).parent / "reference"
KINDERGARTEN_LEVELS = ("baga", "dund", "akhlakh", "beltgel")
# Age a child reaches during the calendar year the level is normally started (education.domain.levels).
KINDERGARTEN_AGE = {"baga": 2, "dund": 3, "akhlakh": 4, "beltgel": 5}
GRADE_ENTRY_AGE = 6


@dataclass(frozen=True)
class AdminUnit:
    """A first-level unit (capital or aimag) or a UB district, as in admin_units.csv."""

    nso_code: str
    iso_code: str
    name_mn: str
    name_en: str
    kind: str
    parent: str
    subunits: int
    register_letter: str


@dataclass(frozen=True)
class Subject:
    code: str
    name_mn: str
    name_en: str
    specialty: str
    hours: tuple[int, ...]  # weekly lessons in grades 1..12

    def hours_in(self, grade: int) -> int:
        return self.hours[grade - 1]


@dataclass(frozen=True)
class Term:
    number: int
    starts_on: date
    ends_on: date


@dataclass(frozen=True)
class Reference:
    national: dict[str, Any]
    shaping: dict[str, Any]
    units: tuple[AdminUnit, ...]
    subjects: tuple[Subject, ...]
    male_names: tuple[str, ...]
    female_names: tuple[str, ...]

    @property
    def first_level(self) -> tuple[AdminUnit, ...]:
        return tuple(u for u in self.units if u.kind in ("capital", "aimag"))

    @property
    def districts(self) -> tuple[AdminUnit, ...]:
        return tuple(u for u in self.units if u.kind == "district")

    @property
    def capital(self) -> AdminUnit:
        return next(u for u in self.units if u.kind == "capital")

    @property
    def school_year(self) -> int:
        return int(self.shaping["school_year"])

    def terms(self) -> tuple[Term, ...]:
        return tuple(Term(t["number"], _date(t["starts_on"]), _date(t["ends_on"]))
                     for t in self.shaping["calendar"]["terms"])

    def holidays(self) -> frozenset[date]:
        return frozenset(_date(d) for d in self.shaping["calendar"]["holidays"])


def for_school_year(ref: Reference, start_year: int) -> Reference:
    """The same country in the school year starting in ``start_year``: birth years and the school year move with it.

    The calendar's dates move by whole years too, so they are approximate outside the year they were taken from
    (weekdays and lunar holidays differ); the shaping figures stay those of the year they describe.
    """
    years = start_year - ref.school_year
    if years == 0:
        return ref
    calendar = ref.shaping["calendar"]
    moved = {"starts_on": _moved(calendar["starts_on"], years), "ends_on": _moved(calendar["ends_on"], years),
             "terms": [{**t, "starts_on": _moved(t["starts_on"], years), "ends_on": _moved(t["ends_on"], years)}
                       for t in calendar["terms"]],
             "holidays": [_moved(d, years) for d in calendar["holidays"]]}
    return replace(ref, shaping={**ref.shaping, "school_year": start_year, "calendar": {**calendar, **moved}})


def _moved(value: Any, years: int) -> date:
    day = _date(value)
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without it
        return day.replace(year=day.year + years, day=28)


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _units(path: Path) -> tuple[AdminUnit, ...]:
    with path.open(encoding="utf-8", newline="") as handle:
        return tuple(AdminUnit(r["nso_code"], r["iso_code"], r["name_mn"], r["name_en"], r["kind"],
                               r["parent_nso_code"], int(r["subunits"] or 0), r["register_letter"])
                     for r in csv.DictReader(handle))


def _yaml(name: str) -> Any:
    return yaml.safe_load((REFERENCE_DIR / name).read_text(encoding="utf-8"))


@cache
def load() -> Reference:
    figures, curriculum, names = _yaml("figures.yaml"), _yaml("curriculum.yaml"), _yaml("names.yaml")
    subjects = tuple(Subject(s["code"], s["name_mn"], s["name_en"], s["specialty"], tuple(s["hours"]))
                     for s in curriculum["subjects"])
    return Reference(national=figures["national"], shaping=figures["shaping"],
                     units=_units(REFERENCE_DIR / "admin_units.csv"), subjects=subjects,
                     male_names=tuple(names["male"]), female_names=tuple(names["female"]))
