"""School years with four terms and holidays, kept as data (the law sets 1 Sep – 15 Jun; dates vary by year)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from education.domain import events
from education.domain.base import Aggregate
from education.domain.errors import invalid

TERMS_PER_YEAR = 4


@dataclass
class Term:
    number: int
    starts_on: date
    ends_on: date


@dataclass
class Holiday:
    name_mn: str
    starts_on: date
    ends_on: date
    name_en: str = ""

    def covers(self, day: date) -> bool:
        return self.starts_on <= day <= self.ends_on


@dataclass(eq=False)
class SchoolYear(Aggregate):
    id: str
    starts_on: date
    ends_on: date
    terms: list[Term] = field(default_factory=list)
    holidays: list[Holiday] = field(default_factory=list)

    @classmethod
    def define(cls, *, starts_on: date, ends_on: date, terms: list[Term], holidays: list[Holiday]) -> SchoolYear:
        year = cls(id=year_id(starts_on.year), starts_on=starts_on, ends_on=ends_on, terms=terms, holidays=holidays)
        year.validate()
        year.record(events.SchoolYearDefined(year.id, starts_on, ends_on, len(terms)))
        return year

    def revise(self, *, starts_on: date, ends_on: date, terms: list[Term], holidays: list[Holiday]) -> None:
        self.starts_on, self.ends_on, self.terms, self.holidays = starts_on, ends_on, terms, holidays
        self.validate()
        self.record(events.SchoolYearDefined(self.id, starts_on, ends_on, len(terms)))

    @property
    def start_year(self) -> int:
        return self.starts_on.year

    def validate(self) -> None:
        if self.ends_on <= self.starts_on:
            raise invalid("ends_on", "year_ends_before_start", "Хичээлийн жил эхлэхээсээ өмнө дуусч болохгүй.",
                          "The school year cannot end before it starts.")
        if len(self.terms) != TERMS_PER_YEAR:
            raise invalid("terms", "year_term_count", f"Хичээлийн жил {TERMS_PER_YEAR} улиралтай байна.",
                          f"A school year has {TERMS_PER_YEAR} terms.", count=len(self.terms))
        self._validate_terms()
        for i, holiday in enumerate(self.holidays):
            if holiday.ends_on < holiday.starts_on or not self._within(holiday.starts_on, holiday.ends_on):
                raise invalid(f"holidays[{i}]", "year_holiday_dates", f"Амралт '{holiday.name_mn}'-н огноо буруу.",
                              f"Holiday '{holiday.name_en or holiday.name_mn}' has dates outside the year or "
                              "ending before it starts.")

    def _validate_terms(self) -> None:
        previous_end = self.starts_on - timedelta(days=1)
        ordered = sorted(self.terms, key=lambda t: t.starts_on)
        for i, term in enumerate(ordered):
            if term.number != i + 1:
                raise invalid(f"terms[{i}].number", "year_term_order", "Улирлууд 1-4 дарааллаар байна.",
                              "Terms are numbered 1 to 4 in date order.")
            if term.starts_on <= previous_end or term.ends_on < term.starts_on:
                raise invalid(f"terms[{i}].starts_on", "year_term_overlap",
                              f"{term.number}-р улирал өмнөх улиралтай давхцаж эсвэл буруу огноотой байна.",
                              f"Term {term.number} overlaps the previous term or ends before it starts.")
            previous_end = term.ends_on
        if not self._within(ordered[0].starts_on, previous_end):
            raise invalid("terms", "year_term_outside", "Улирал хичээлийн жилээс гадуур байна.",
                          "A term lies outside the school year.")

    def _within(self, start: date, end: date) -> bool:
        return self.starts_on <= start and end <= self.ends_on

    def term_on(self, day: date) -> Term | None:
        return next((t for t in self.terms if t.starts_on <= day <= t.ends_on), None)

    def is_school_day(self, day: date) -> bool:
        return (day.weekday() < 5 and self.term_on(day) is not None
                and not any(h.covers(day) for h in self.holidays))


def year_id(start_year: int) -> str:
    return f"{start_year}-{start_year + 1}"


def default_school_year(start_year: int) -> SchoolYear:
    """1 Sep – 15 Jun with four terms and the usual breaks; every date can be revised per year."""
    y, n = start_year, start_year + 1
    terms = [Term(1, date(y, 9, 1), date(y, 11, 1)), Term(2, date(y, 11, 10), date(y, 12, 26)),
             Term(3, date(n, 1, 19), date(n, 3, 20)), Term(4, date(n, 3, 30), date(n, 6, 15))]
    holidays = [Holiday("Намрын амралт", date(y, 11, 2), date(y, 11, 9), "Autumn break"),
                Holiday("Өвлийн амралт", date(y, 12, 27), date(n, 1, 18), "Winter break"),
                Holiday("Хаврын амралт", date(n, 3, 21), date(n, 3, 29), "Spring break")]
    return SchoolYear.define(starts_on=date(y, 9, 1), ends_on=date(n, 6, 15), terms=terms, holidays=holidays)
