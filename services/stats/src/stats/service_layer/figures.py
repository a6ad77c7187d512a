"""Figures of an area for a school year, computed from the projections with the domain's formulas.

Every function reads one consistent snapshot (``World``) and returns domain ``Figure``s with lineage: the
rule set in force on the census day, the census day, a fingerprint of the inputs, the offsets read so far.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction

from sqlalchemy.orm import Session

from stats.adapters import readers
from stats.domain import flows, indicators, survival
from stats.domain.enrolment import Census, Learner, Spell, census, grade_age_sex, within
from stats.domain.errors import MissingPopulation
from stats.domain.hierarchy import NATIONAL, Hierarchy
from stats.domain.indicators import Basis
from stats.domain.lineage import Figure, Offsets
from stats.domain.rules import Isced, RuleSet, isced_of, rules_for

NATIONAL_CODE = "MN"
SCHOOL_LEVELS = (Isced.PRIMARY, Isced.LOWER_SECONDARY, Isced.UPPER_SECONDARY)


@dataclass
class World:
    hierarchy: Hierarchy
    learners: dict[str, Learner]
    spells: list[Spell]
    exits: dict[str, str]
    offsets: Offsets
    _censuses: dict[int, Census] = field(default_factory=dict)

    def rules(self, year: int) -> RuleSet:
        return rules_for(date(year, 12, 31))

    def census_day(self, year: int) -> date:
        return self.rules(year).census_date(year)

    def basis(self, year: int) -> Basis:
        return Basis(self.rules(year), self.census_day(year), self.offsets)

    def census(self, year: int) -> Census:
        if year not in self._censuses:
            self._censuses[year] = census(self.spells, self.census_day(year))
        return self._censuses[year]

    def area(self, area_id: str, year: int) -> Census:
        return within(self.census(year), self.hierarchy, area_id, self.census_day(year))

    def code(self, area_id: str) -> str:
        unit = self.hierarchy.get(area_id)
        return NATIONAL_CODE if area_id == NATIONAL or unit is None else unit.code

    def in_area(self, area_id: str, year: int) -> Callable[[str], bool]:
        day, placements = self.census_day(year), self.census(year)
        return lambda lid: lid in placements and self.hierarchy.is_within(placements[lid].org_id, area_id, day)


_WORLDS: dict[int, World] = {}
_LOCK = threading.Lock()


def load_world(session: Session) -> World:
    """The projections as domain objects. The projections change only by consuming events, so while the offsets
    read are the same, the snapshot loaded last for this database is still exact and is reused."""
    offsets = readers.read_offsets(session)
    key = id(session.get_bind())
    with _LOCK:
        cached = _WORLDS.get(key)
    if cached is not None and cached.offsets == offsets:
        return cached
    world = World(readers.hierarchy(session), readers.all_learners(session), readers.all_spells(session),
                  readers.exits(session), offsets)
    with _LOCK:
        _WORLDS[key] = world
    return world


def enrolment_indicators(session: Session, world: World, area_id: str,
                         year: int) -> tuple[list[Figure], list[MissingPopulation]]:
    """GER, NER, ANER, TNER, OOSR of every school level (both sexes and by sex, with GPI/GPIA), GIR."""
    day, basis = world.census_day(year), world.basis(year)
    table = grade_age_sex(world.area(area_id, year), world.learners, basis.rules, day)
    people = readers.population_of(session, world.code(area_id), year)
    found: list[Figure] = []
    problems: dict[str, MissingPopulation] = {}
    for level in SCHOOL_LEVELS:
        for formula in (indicators.ger, indicators.ner, indicators.aner, indicators.tner, indicators.oosr):
            try:
                found += _with_parity(formula, level, table, people, basis)
            except MissingPopulation as exc:
                problems.setdefault(exc.message, exc)
    try:
        found.append(indicators.gross_intake_ratio(_new_entrants(world, area_id, year), people, basis))
    except MissingPopulation as exc:
        problems.setdefault(exc.message, exc)
    return found, [problems[k] for k in sorted(problems)]


def _with_parity(formula, level, table, people, basis) -> list[Figure]:  # type: ignore[no-untyped-def]
    both, female, male = (formula(level, table, people, basis, sex=s) for s in (None, "female", "male"))
    parity = [indicators.gpi(female, male), indicators.gpia(female, male)] if male.value else []
    return [both, female, male, *parity]


def _new_entrants(world: World, area_id: str, year: int) -> int:
    return len(survival.new_entrants(world.area(area_id, year), world.census(year - 1)))


def pupil_teacher_ratios(session: Session, world: World, area_id: str, year: int) -> list[Figure]:
    day, basis = world.census_day(year), world.basis(year)
    placements = world.area(area_id, year)
    orgs = {p.org_id for p in placements.values()}
    loads = readers.teacher_loads(session, orgs, day)
    pupils = Counter(isced_of(p.grade) for p in placements.values())
    found = []
    for level in SCHOOL_LEVELS:
        if any(t.level == level for t in loads):
            found += [indicators.ptr(level, pupils[level], loads, basis),
                      indicators.ptr(level, pupils[level], loads, basis, fte=True),
                      indicators.ptr(level, pupils[level], loads, basis, qualified_only=True)]
    return found


def flow_rates(world: World, area_id: str, year: int) -> dict[str, dict[str, Figure]]:
    """Per grade of ``year``: the UIS rates (aggregates) and the actual outcome rates (individual records)."""
    basis = world.basis(year)
    lineage = basis.lineage("flows", area_id, world.census(year), world.census(year + 1), world.exits)
    area_t, area_t1, later = world.area(area_id, year), world.area(area_id, year + 1), world.census(year + 1)
    inputs = flows.flow_inputs(area_t, area_t1, world.census(year))
    in_area = world.in_area(area_id, year + 1)
    outcomes = flows.actual_outcomes(area_t, later, {lid: in_area(lid) for lid in later}, world.exits, basis.rules)
    grades = sorted(outcomes, key=lambda g: int(g) if g.isdigit() else -1)
    return {g: {**flows.uis_rates(inputs, g, lineage), **flows.actual_rates(outcomes[g], g, lineage)}
            for g in grades if g.isdigit()}


def survival_rates(world: World, area_id: str, year: int, last_grade: int = 12) -> dict[str, list[Figure]]:
    """Reconstructed-cohort survival (rates of ``year`` → ``year+1``) and the actual cohort entering in ``year``."""
    rates = flow_rates(world, area_id, year)
    grades = [str(g) for g in range(1, last_grade + 1)]
    promotion = [flows.as_fraction(rates[g]["promotion_rate"]) if g in rates and "promotion_rate" in rates[g]
                 else Fraction(0) for g in grades[:-1]]
    repetition = [flows.as_fraction(rates[g]["repetition_rate"]) if g in rates else Fraction(0) for g in grades]
    basis = world.basis(year)
    lineage = basis.lineage("survival", area_id, promotion, repetition)
    reconstructed = survival.reconstructed_survival(promotion, repetition, basis.rules, lineage)
    return {"reconstructed": reconstructed, "actual": _actual_cohort(world, area_id, year, grades)}


def _actual_cohort(world: World, area_id: str, year: int, grades: list[str]) -> list[Figure]:
    cohort = survival.new_entrants(world.area(area_id, year), world.census(year - 1))
    years = [y for y in range(year + 1, year + 13) if world.census(y)]
    later = [world.census(y) for y in years]
    checks = [world.in_area(area_id, y) for y in years]
    lineage = world.basis(year).lineage("actual_cohort", area_id, sorted(cohort), later, world.exits)
    rules = world.rules(year)
    return [survival.actual_survival(cohort, later, lambda i, lid: checks[i](lid), world.exits, rules, g, lineage)
            for g in grades if cohort]


def enrolment_by(world: World, area_id: str, year: int, key: Callable[[str, str], str]) -> Counter[tuple[str, str]]:
    """Learners of the area on the census day, counted by ``(key(learner, org), grade)``."""
    counts: Counter[tuple[str, str]] = Counter()
    for learner_id, placement in world.area(area_id, year).items():
        counts[(key(learner_id, placement.org_id), placement.grade)] += 1
    return counts
