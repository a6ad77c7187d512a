"""Dated rule sets: every parameter a figure depends on, with the day it came into force.

A figure records the ``version`` of the rule set it was computed under (its lineage), so a figure of 2018
recomputed today still follows the 2018 rules. Facts marked ⚠️ in the domain notes are parameters here,
never constants in the formulas.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import IntEnum

from stats.domain.errors import UnknownLevel


class Isced(IntEnum):
    """ISCED levels in the order "or higher" means for ANER."""

    PRE_PRIMARY = 0
    PRIMARY = 1
    LOWER_SECONDARY = 2
    UPPER_SECONDARY = 3


@dataclass(frozen=True)
class LevelSpec:
    isced: Isced
    grades: tuple[str, ...]  # class level codes as education publishes them ("1".."12", "beltgel")
    official_ages: tuple[int, ...]

    @property
    def entry_age(self) -> int:
        return self.official_ages[0]


PRE_PRIMARY_GROUPS = ("baga", "dund", "akhlakh", "beltgel")
LEVELS: dict[Isced, LevelSpec] = {
    Isced.PRE_PRIMARY: LevelSpec(Isced.PRE_PRIMARY, PRE_PRIMARY_GROUPS, (2, 3, 4, 5)),
    Isced.PRIMARY: LevelSpec(Isced.PRIMARY, tuple(str(g) for g in range(1, 6)), (6, 7, 8, 9, 10)),
    Isced.LOWER_SECONDARY: LevelSpec(Isced.LOWER_SECONDARY, tuple(str(g) for g in range(6, 10)), (11, 12, 13, 14)),
    Isced.UPPER_SECONDARY: LevelSpec(Isced.UPPER_SECONDARY, ("10", "11", "12"), (15, 16, 17)),
}
_LEVEL_OF_GRADE = {grade: spec.isced for spec in LEVELS.values() for grade in spec.grades}


def isced_of(grade: str) -> Isced:
    try:
        return _LEVEL_OF_GRADE[grade]
    except KeyError:
        raise UnknownLevel(grade) from None


def grade_number(grade: str) -> int | None:
    """1..12 for school grades, None for kindergarten groups."""
    return int(grade) if grade.isdigit() else None


@dataclass(frozen=True)
class RuleSet:
    version: str
    effective_from: date
    # UIS changed the out-of-school definition in 2019: primary-age children in pre-primary count as in school.
    pre_primary_counts_in_school: bool
    census_month_day: tuple[int, int] = (10, 1)
    # Reconstructed cohort: a simulated pupil repeats at most this many times, then leaves (UIS caps repetition).
    max_repetitions: int = 2
    chronic_absence_share: float = 0.10
    small_cell_threshold: int = 5
    # A zero is published: it reveals no small group of people (structural zeros, e.g. grade 12 in a primary
    # school, are public knowledge anyway). Set True to treat 0 like the other counts under the threshold.
    suppress_zeros: bool = False
    # Withdrawals that end schooling in Mongolia without being a dropout (the learner left the country or died).
    exits_not_dropout: frozenset[str] = field(default_factory=lambda: frozenset({"moved_abroad", "deceased"}))
    final_grade: str = "12"

    def census_date(self, school_year_start: int) -> date:
        month, day = self.census_month_day
        return date(school_year_start, month, day)

    def age_on(self, birth_year: int, day: date) -> int:
        """Age reached in the calendar year of ``day``: grade 1 takes children who turn 6 in the year of entry."""
        return day.year - birth_year


RULES: tuple[RuleSet, ...] = (
    RuleSet("uis-2011", date(2000, 1, 1), pre_primary_counts_in_school=False),
    RuleSet("uis-2019", date(2019, 1, 1), pre_primary_counts_in_school=True),
)


def rules_for(day: date, rules: Sequence[RuleSet] = RULES) -> RuleSet:
    """The rule set in force on ``day`` (the latest whose ``effective_from`` is not after it)."""
    in_force = [r for r in rules if r.effective_from <= day]
    if not in_force:
        raise ValueError(f"no rule set in force on {day}")
    return max(in_force, key=lambda r: r.effective_from)


def school_year_start(day: date) -> int:
    """The school year a day belongs to, by its first calendar year (1 September – 31 August)."""
    return day.year if day.month >= 9 else day.year - 1
