"""Enrolment as of any day: spells of learners in classes, counted by area × grade × sex × age.

A spell is ``[start, end)`` in one class of one school; a class move or transfer ends one spell and starts
another. The census of a school year is the set of spells covering its census day.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from stats.domain.hierarchy import Hierarchy
from stats.domain.rules import RuleSet

CubeKey = tuple[str, str, str, int]  # (area id, grade, sex, age)


@dataclass(frozen=True)
class Learner:
    id: str
    sex: str  # "male" | "female" | "unknown"
    birth_year: int


@dataclass(frozen=True)
class Spell:
    learner_id: str
    org_id: str
    class_id: str
    grade: str
    start: date
    end: date | None = None  # exclusive

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class Placement:
    """Where a learner was on a census day."""

    org_id: str
    grade: str


Census = dict[str, Placement]  # learner id -> placement on the census day


def census(spells: Iterable[Spell], day: date) -> Census:
    """Each learner's placement on ``day``; if spells overlap, the one that started last wins."""
    found: dict[str, Spell] = {}
    for spell in spells:
        if spell.covers(day):
            current = found.get(spell.learner_id)
            if current is None or (spell.start, spell.class_id) > (current.start, current.class_id):
                found[spell.learner_id] = spell
    return {lid: Placement(s.org_id, s.grade) for lid, s in found.items()}


def enrolment_cube(spells: Iterable[Spell], learners: Mapping[str, Learner], hierarchy: Hierarchy, day: date,
                   rules: RuleSet, level: str = "school") -> Counter[CubeKey]:
    """Learners enrolled on ``day`` by (area of ``level`` on that day, grade, sex, age)."""
    cube: Counter[CubeKey] = Counter()
    for learner_id, placement in census(spells, day).items():
        learner = learners.get(learner_id)
        area = hierarchy.area_at(placement.org_id, level, day)
        if learner is None or area is None:
            continue
        cube[(area, placement.grade, learner.sex, rules.age_on(learner.birth_year, day))] += 1
    return cube


def within(placements: Census, hierarchy: Hierarchy, area_id: str, day: date) -> Census:
    """The part of a census that lies in ``area_id`` on ``day``."""
    return {lid: p for lid, p in placements.items() if hierarchy.is_within(p.org_id, area_id, day)}


def grade_age_sex(placements: Census, learners: Mapping[str, Learner], rules: RuleSet,
                  day: date) -> Counter[tuple[str, int, str]]:
    """(grade, age, sex) counts of a census: the enrolment input of the UIS ratios."""
    table: Counter[tuple[str, int, str]] = Counter()
    for learner_id, placement in placements.items():
        learner = learners.get(learner_id)
        if learner is not None:
            table[(placement.grade, rules.age_on(learner.birth_year, day), learner.sex)] += 1
    return table
