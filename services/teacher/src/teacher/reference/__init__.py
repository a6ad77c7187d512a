"""Load the reference data shipped beside this module (YAML) into ``teacher.domain.reference`` values."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal
from importlib import resources
from typing import Any

import yaml

from teacher.domain.reference import (
    AttendanceCode,
    AttendanceCodes,
    AttendanceMode,
    Band,
    Calendar,
    Catalogue,
    GradeScale,
    GrowthRules,
    Holiday,
    Label,
    Reference,
    SchoolYear,
    Term,
)


def _read(name: str) -> Any:
    return yaml.safe_load(resources.files(__package__).joinpath(name).read_text("utf-8"))


def _labels(rows: Iterable[Mapping[str, Any]]) -> list[Label]:
    return [Label(str(r["code"]), r["label_mn"], r["label_en"]) for r in rows]


def load_attendance(data: Mapping[str, Any] | None = None) -> AttendanceCodes:
    data = data or _read("attendance.yaml")
    codes = [AttendanceCode(r["code"], r["label_mn"], r["label_en"], r["short_mn"], r["short_en"], r["category"])
             for r in data["codes"]]
    categories = _labels(data["categories"])
    unknown = {c.category for c in codes} - {c.code for c in categories}
    if unknown:
        raise ValueError(f"attendance.yaml: codes use unknown categories {sorted(unknown)}")
    return AttendanceCodes(codes, categories)


def _scale(row: Mapping[str, Any]) -> GradeScale:
    bands = sorted((Band(str(b["code"]), b["label_mn"], b["label_en"], Decimal(str(b["min"]))) for b in row["bands"]),
                   key=lambda band: band.minimum, reverse=True)
    if bands[-1].minimum != 0:
        raise ValueError(f"scale {row['code']}: the lowest band must start at 0")
    return GradeScale(row["code"], row["label_mn"], row["label_en"], frozenset(map(str, row["levels"])), tuple(bands))


def school_year_from(data: Mapping[str, Any]) -> SchoolYear:
    """One school year from its YAML mapping (also used by tests to build calendars)."""
    return SchoolYear(
        id=str(data["school_year"]), starts_on=data["starts_on"], ends_on=data["ends_on"],
        school_weekdays=frozenset(data["school_weekdays"]),
        terms=tuple(Term(t["number"], t["starts_on"], t["ends_on"]) for t in data["terms"]),
        holidays=tuple(Holiday(h["name_mn"], h["name_en"], h["starts_on"], h["ends_on"])
                       for h in data.get("holidays", ())),
        last_day_by_level={str(k): v for k, v in (data.get("last_day_by_level") or {}).items()},
        attendance_modes={str(k): AttendanceMode(v) for k, v in data["attendance_mode_by_level"].items()},
        term_weights={int(k): Decimal(str(v)) for k, v in data["term_weights"].items()},
        scales=tuple(_scale(row) for row in data["scales"]))


def load_calendar() -> Calendar:
    folder = resources.files(__package__).joinpath("school_years")
    years = [school_year_from(yaml.safe_load(f.read_text("utf-8")))
             for f in sorted(folder.iterdir(), key=lambda f: f.name) if f.name.endswith(".yaml")]
    return Calendar({year.id: year for year in years})


def _growth(data: Mapping[str, Any]) -> GrowthRules:
    limits, checks = data["growth_limits"], data["growth_checks"]
    pair = lambda values: (Decimal(str(values[0])), Decimal(str(values[1])))  # noqa: E731
    return GrowthRules(pair(limits["height_cm"]), pair(limits["weight_kg"]),
                       Decimal(str(checks["height_drop_cm"])), Decimal(str(checks["weight_change_percent"])))


def load_reference() -> Reference:
    kindergarten = _read("kindergarten.yaml")
    return Reference(
        attendance=load_attendance(), calendar=load_calendar(),
        development_domains=Catalogue(_labels(kindergarten["domains"]), "development domain", "хөгжлийн чиглэл"),
        development_levels=Catalogue(_labels(kindergarten["levels"]), "development level", "хөгжлийн түвшин"),
        growth=_growth(kindergarten),
        feedback_categories=Catalogue(_labels(_read("feedback.yaml")["categories"]), "feedback category",
                                      "саналын төрөл"))
