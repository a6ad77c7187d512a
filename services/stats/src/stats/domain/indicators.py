"""UNESCO UIS enrolment indicators (formulas in shared/domain/uis_indicators.md), with lineage.

Inputs for one area and one census: enrolment counts by (grade, age, sex) and population by (age, sex).
``sex=None`` means both sexes; the GPI divides the female figure by the male one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction
from typing import Any

from stats.domain.errors import MissingPopulation
from stats.domain.lineage import Figure, Lineage, Offsets, figure, fingerprint
from stats.domain.rules import LEVELS, Isced, RuleSet, isced_of

Enrolment = Mapping[tuple[str, int, str], int]  # (grade, age, sex) -> learners
Population = Mapping[tuple[int, str], int]  # (age, sex) -> people


@dataclass(frozen=True)
class Basis:
    """What every figure of one computation shares: rules, census day, the event offsets read so far."""

    rules: RuleSet
    census_date: date | None
    offsets: Offsets = ()

    def lineage(self, *inputs: Any) -> Lineage:
        return Lineage(self.rules.version, self.census_date, fingerprint(self.rules, *inputs), self.offsets)


def _sexes(sex: str | None) -> Callable[[str], bool]:
    return (lambda _: True) if sex is None else (lambda s: s == sex)


def _enrolled(enrolment: Enrolment, keep: Callable[[Isced, int], bool], sex: str | None) -> int:
    wanted = _sexes(sex)
    return sum(n for (grade, age, s), n in enrolment.items() if wanted(s) and keep(isced_of(grade), age))


def _population(population: Population, ages: Iterable[int], sex: str | None, what: str) -> int:
    wanted, ages = _sexes(sex), set(ages)
    total = sum(n for (age, s), n in population.items() if age in ages and wanted(s))
    if total == 0:
        raise MissingPopulation(what)
    return total


def _ratio(name: str, level: Isced, keep: Callable[[Isced, int], bool], enrolment: Enrolment,
           population: Population, basis: Basis, sex: str | None) -> Figure:
    ages = LEVELS[level].official_ages
    pupils = _enrolled(enrolment, keep, sex)
    people = _population(population, ages, sex, f"ages {ages[0]}–{ages[-1]}")
    dims = {"level": level.name.lower(), **({"sex": sex} if sex else {})}
    return figure(name, pupils, people, basis.lineage(name, level, sex, enrolment, population), **dims)


def ger(level: Isced, enrolment: Enrolment, population: Population, basis: Basis, sex: str | None = None) -> Figure:
    """Gross enrolment ratio: every pupil of the level, any age, per official-age population."""
    return _ratio("ger", level, lambda lvl, _: lvl == level, enrolment, population, basis, sex)


def ner(level: Isced, enrolment: Enrolment, population: Population, basis: Basis, sex: str | None = None) -> Figure:
    """Net enrolment rate: official-age pupils of the level only."""
    ages = LEVELS[level].official_ages
    return _ratio("ner", level, lambda lvl, age: lvl == level and age in ages, enrolment, population, basis, sex)


def aner(level: Isced, enrolment: Enrolment, population: Population, basis: Basis, sex: str | None = None) -> Figure:
    """Adjusted net enrolment rate: official-age pupils in the level or a higher one."""
    ages = LEVELS[level].official_ages
    return _ratio("aner", level, lambda lvl, age: lvl >= level and age in ages, enrolment, population, basis, sex)


def tner(level: Isced, enrolment: Enrolment, population: Population, basis: Basis, sex: str | None = None) -> Figure:
    """Total net enrolment rate: official-age children in any level; pre-primary counts by the dated rule."""
    ages = LEVELS[level].official_ages
    counts_pre = basis.rules.pre_primary_counts_in_school

    def keep(lvl: Isced, age: int) -> bool:
        return age in ages and (lvl != Isced.PRE_PRIMARY or counts_pre)

    return _ratio("tner", level, keep, enrolment, population, basis, sex)


def oosr(level: Isced, enrolment: Enrolment, population: Population, basis: Basis, sex: str | None = None) -> Figure:
    """Out-of-school rate = 100 − TNER (official-age children enrolled nowhere)."""
    total = tner(level, enrolment, population, basis, sex)
    out = Fraction(int(total.denominator) - int(total.numerator))
    return figure("oosr", out, int(total.denominator), total.lineage, **dict(total.dims))


def gross_intake_ratio(new_entrants: int, population: Population, basis: Basis, sex: str | None = None) -> Figure:
    """New entrants to grade 1 (any age) per population of the official entry age."""
    entry_age = LEVELS[Isced.PRIMARY].entry_age
    people = _population(population, [entry_age], sex, f"age {entry_age}")
    dims = {"grade": "1", **({"sex": sex} if sex else {})}
    return figure("gross_intake_ratio", new_entrants, people,
                  basis.lineage("gir", new_entrants, sex, population), **dims)


@dataclass(frozen=True)
class TeacherLoad:
    """One teacher's share at one level: hours there / all their hours, times their FTE."""

    staff_id: str
    level: Isced
    hours_share: Fraction
    fte: Fraction
    qualified: bool


def ptr(level: Isced, pupils: int, loads: Iterable[TeacherLoad], basis: Basis, *, fte: bool = False,
        qualified_only: bool = False) -> Figure:
    """Pupils per teacher of the level: headcount (a teacher of two levels counts in both) or FTE."""
    mine = [t for t in loads if t.level == level and (t.qualified or not qualified_only)]
    teachers = sum((t.fte * t.hours_share for t in mine), Fraction(0)) if fte else len({t.staff_id for t in mine})
    name = "ptr_qualified" if qualified_only else "ptr"
    return figure(name, pupils, teachers, basis.lineage(name, level, pupils, mine, fte), scale=1,
                  level=level.name.lower(), basis="fte" if fte else "headcount")


def _values(female: Figure, male: Figure) -> tuple[Fraction, Fraction]:
    if female.value is None or male.value is None or male.value == 0:
        raise ValueError(f"parity needs a female and a non-zero male {female.indicator}")
    return Fraction(str(female.value)), Fraction(str(male.value))


def gpi(female: Figure, male: Figure) -> Figure:
    """Gender parity index X_f / X_m of one indicator (values, not counts)."""
    f, m = _values(female, male)
    return _parity("gpi", female, male, f / m)


def gpia(female: Figure, male: Figure) -> Figure:
    """Adjusted GPI: X_f/X_m when X_f ≤ X_m, else 2 − X_m/X_f; always within 0–2, symmetric around 1."""
    f, m = _values(female, male)
    return _parity("gpia", female, male, f / m if f <= m else 2 - m / f)


def _parity(name: str, female: Figure, male: Figure, value: Fraction) -> Figure:
    lineage = Lineage(female.lineage.rule_version, female.lineage.census_date,
                      fingerprint(female.lineage.input_fingerprint, male.lineage.input_fingerprint),
                      female.lineage.event_offsets)
    dims = {k: v for k, v in female.dims if k != "sex"}
    return figure(name, value, 1, lineage, scale=1, of=female.indicator, **dims)
