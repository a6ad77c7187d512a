"""Reference data as values: attendance codes, grading scales, the school calendar, kindergarten and feedback lists.

Everything here is loaded from ``teacher/reference/*.yaml``; nothing about Mongolia's calendar or scales is a
constant in code, so a new school year or a revised scale is a data change.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from teacher.domain.errors import NotFound, Refused, invalid

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Label:
    code: str
    label_mn: str
    label_en: str

    def label(self, lang: str) -> str:
        return self.label_en if lang == "en" else self.label_mn


class Catalogue:
    """Codes with labels in a fixed order; ``get`` refuses unknown codes naming the field."""

    def __init__(self, items: Iterable[Label], what: str, what_mn: str) -> None:
        self.items = tuple(items)
        self._by_code = {item.code: item for item in self.items}
        self.what, self.what_mn = what, what_mn

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str, field: str) -> Label:
        found = self._by_code.get(code)
        if found is None:
            known = ", ".join(self._by_code)
            raise invalid(field, f"'{code}' is not a known {self.what} (one of: {known})",
                          f"'{code}' гэсэн {self.what_mn} байхгүй (боломжит: {known}).", code=f"unknown_{field}")
        return found


@dataclass(frozen=True)
class AttendanceCode(Label):
    short_mn: str
    short_en: str
    category: str

    @property
    def is_present(self) -> bool:
        return self.category == "present"


class AttendanceCodes(Catalogue):
    def __init__(self, codes: Iterable[AttendanceCode], categories: Iterable[Label]) -> None:
        super().__init__(codes, "attendance code", "ирцийн код")
        self.categories = Catalogue(categories, "attendance category", "ирцийн ангилал")
        self.default = self.items[0].code

    def code(self, value: str, field: str = "code") -> AttendanceCode:
        found = self.get(value, field)
        assert isinstance(found, AttendanceCode)
        return found


class AttendanceMode(StrEnum):
    DAILY = "daily"
    PER_LESSON = "per_lesson"


# ---------------------------------------------------------------- grading scales

@dataclass(frozen=True)
class Band(Label):
    minimum: Decimal


@dataclass(frozen=True)
class GradeScale(Label):
    levels: frozenset[str]
    bands: tuple[Band, ...]  # highest minimum first

    def band_for(self, percent: Decimal) -> Band:
        rounded = percent.quantize(CENT, rounding=ROUND_HALF_UP)
        return next(band for band in self.bands if rounded >= band.minimum)


# ---------------------------------------------------------------- calendar

@dataclass(frozen=True)
class Term:
    number: int
    starts_on: date
    ends_on: date

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class Holiday:
    name_mn: str
    name_en: str
    starts_on: date
    ends_on: date

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(frozen=True)
class SchoolYear:
    """One school year's calendar, scales, term weights and attendance modes."""

    id: str
    starts_on: date
    ends_on: date
    school_weekdays: frozenset[int]
    terms: tuple[Term, ...]
    holidays: tuple[Holiday, ...]
    last_day_by_level: Mapping[str, date]
    attendance_modes: Mapping[str, AttendanceMode]
    term_weights: Mapping[int, Decimal]
    scales: tuple[GradeScale, ...]

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def term_of(self, day: date) -> Term | None:
        return next((term for term in self.terms if term.covers(day)), None)

    def term(self, number: int, field: str = "term") -> Term:
        found = next((term for term in self.terms if term.number == number), None)
        if found is None:
            numbers = ", ".join(str(t.number) for t in self.terms)
            raise invalid(field, f"School year {self.id} has no term {number} (terms: {numbers})",
                          f"{self.id} хичээлийн жилд {number}-р улирал байхгүй (улирал: {numbers}).",
                          code="unknown_term")
        return found

    def attendance_mode(self, level: str) -> AttendanceMode:
        return self.attendance_modes.get(level) or self.attendance_modes["default"]

    def scale_for(self, level: str) -> GradeScale | None:
        return next((scale for scale in self.scales if level in scale.levels), None)

    def non_school_reason(self, day: date, level: str) -> tuple[str, str] | None:
        """Why ``day`` is not a school day for a class of ``level`` (English, Mongolian), or None."""
        holiday = next((h for h in self.holidays if h.covers(day)), None)
        if holiday is not None:
            return f"it is a holiday ({holiday.name_en})", f"баярын өдөр ({holiday.name_mn})"
        if day.isoweekday() not in self.school_weekdays:
            return "it is a weekend", "амралтын өдөр"
        last_day = self.last_day_by_level.get(level)
        if last_day is not None and day > last_day:
            return (f"lessons of this grade ended on {last_day.isoformat()}",
                    f"энэ ангийн хичээл {last_day.isoformat()}-нд дууссан")
        if self.term_of(day) is None:
            return "it falls in a break between terms", "улирал хоорондын амралт"
        return None


@dataclass(frozen=True)
class Calendar:
    """Every school year the service knows, by id ("2026-2027")."""

    years: Mapping[str, SchoolYear] = field(default_factory=dict)

    def year(self, year_id: str, field: str = "school_year") -> SchoolYear:
        found = self.years.get(year_id)
        if found is None:
            raise NotFound(f"School year {year_id} has no calendar in the reference data",
                           f"{year_id} хичээлийн жилийн хуанли лавлахад алга.", code="unknown_school_year",
                           field=field)
        return found

    def year_of(self, day: date) -> SchoolYear | None:
        return next((year for year in self.years.values() if year.covers(day)), None)

    def check_school_day(self, day: date, year_id: str, level: str) -> SchoolYear:
        """The school year, or Refused naming why ``day`` is not a school day for this class."""
        year = self.years.get(year_id)
        if year is None or not year.covers(day):
            raise Refused(f"{day.isoformat()} is not in school year {year_id}",
                          f"{day.isoformat()} өдөр {year_id} хичээлийн жилд хамаарахгүй.",
                          code="not_a_school_day", day=day.isoformat())
        reason = year.non_school_reason(day, level)
        if reason is not None:
            raise Refused(f"{day.isoformat()} is not a school day: {reason[0]}",
                          f"{day.isoformat()} хичээлийн өдөр биш: {reason[1]}.", code="not_a_school_day",
                          day=day.isoformat())
        return year


@dataclass(frozen=True)
class GrowthRules:
    height_cm: tuple[Decimal, Decimal]
    weight_kg: tuple[Decimal, Decimal]
    height_drop_cm: Decimal
    weight_change_percent: Decimal


@dataclass(frozen=True)
class Reference:
    """All reference data of the service, loaded once at start-up."""

    attendance: AttendanceCodes
    calendar: Calendar
    development_domains: Catalogue
    development_levels: Catalogue
    growth: GrowthRules
    feedback_categories: Catalogue
