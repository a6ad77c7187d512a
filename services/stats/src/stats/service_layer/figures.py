"""Figures of an area for a school year, computed from the projections with the domain's formulas.

Every function reads one consistent snapshot (``World``) and returns domain ``Figure``s with lineage: the
rule set in force on the census day, the census day, a fingerprint of the inputs, the offsets read so far.
"""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from stats.adapters import readers
from stats.domain import flows, indicators, survival
from stats.domain.enrolment import Census, Learner, Spell, census, within
from stats.domain.errors import MissingPopulation
from stats.domain.hierarchy import NATIONAL, Hierarchy
from stats.domain.indicators import Basis
from stats.domain.lineage import Figure, Offsets
from stats.domain.rules import Isced, RuleSet, isced_of, rules_for

T = TypeVar("T")
NATIONAL_CODE = "MN"
SCHOOL_LEVELS = (Isced.PRIMARY, Isced.LOWER_SECONDARY, Isced.UPPER_SECONDARY)


@dataclass
class Snapshot:
    """What one state of the projections (one set of offsets read) yields, computed once and shared by requests.

    The projections change only by consuming events, so while the offsets are unchanged every value kept here is
    still exact. A value that also depends on something else (the indicators on the population reference) holds
    what it read of it in its key; approvals are never kept."""

    hierarchy: Hierarchy
    offsets: Offsets
    values: dict[Hashable, Any] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)

    def memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self.lock:  # one computation per key: concurrent first requests wait for it instead of repeating it
            if key not in self.values:
                self.values[key] = compute()
            return self.values[key]


class World:
    """The snapshot seen through one request's session: counts come from the database (GROUP BY), individual
    records (learners, spells, exits) are loaded only by the figures that follow individuals (flows, survival)."""

    def __init__(self, snapshot: Snapshot, session: Session) -> None:
        self.snapshot, self.session = snapshot, session
        self.hierarchy, self.offsets = snapshot.hierarchy, snapshot.offsets

    def _memo(self, key: Hashable, compute: Callable[[], T]) -> T:
        return self.snapshot.memo(key, compute)

    @property
    def learners(self) -> dict[str, Learner]:
        return self._memo("learners", lambda: readers.all_learners(self.session))

    @property
    def spells(self) -> list[Spell]:
        return self._memo("spells", lambda: readers.all_spells(self.session))

    @property
    def exits(self) -> dict[str, str]:
        return self._memo("exits", lambda: readers.exits(self.session))

    def rules(self, year: int) -> RuleSet:
        return rules_for(date(year, 12, 31))

    def census_day(self, year: int) -> date:
        return self.rules(year).census_date(year)

    def basis(self, year: int) -> Basis:
        return Basis(self.rules(year), self.census_day(year), self.offsets)

    def census(self, year: int) -> Census:
        """Every learner's placement on the census day (individual records: flows and survival only)."""
        return self._memo(("census", year), lambda: census(self.spells, self.census_day(year)))

    def area(self, area_id: str, year: int) -> Census:
        return within(self.census(year), self.hierarchy, area_id, self.census_day(year))

    def code(self, area_id: str) -> str:
        unit = self.hierarchy.get(area_id)
        return NATIONAL_CODE if area_id == NATIONAL or unit is None else unit.code

    def in_area(self, area_id: str, year: int) -> Callable[[str], bool]:
        day, placements = self.census_day(year), self.census(year)
        return lambda lid: lid in placements and self.hierarchy.is_within(placements[lid].org_id, area_id, day)

    # ------------------------------------------------------------ counts (database GROUP BY, no individual rows)
    def counts_on(self, day: date) -> readers.Counts:
        """Learners placed on ``day`` by (school, grade, sex, birth year); kept for census days only (any other
        day a caller asks for is counted afresh, so the snapshot does not grow with the days asked)."""
        year = day.year if day.month >= 9 else day.year - 1
        if day != self.census_day(year):
            return readers.census_counts(self.session, day)
        return self._memo(("counts", day), lambda: readers.census_counts(self.session, day))

    def counts(self, area_id: str, year: int) -> readers.Counts:
        """The census-day counts of the schools within ``area_id``."""
        day = self.census_day(year)

        def inside() -> readers.Counts:
            within_area = self.orgs_within(area_id, day)
            return {key: n for key, n in self.counts_on(day).items() if key[0] in within_area}

        return self.counts_on(day) if area_id == NATIONAL else self._memo(("area", area_id, year), inside)

    def orgs_within(self, area_id: str, day: date) -> frozenset[str]:
        return self._memo(("within", area_id, day), lambda: frozenset(
            u for u in self.hierarchy.units if self.hierarchy.is_within(u, area_id, day)))

    def enrolled(self, area_id: str, year: int) -> int:
        return sum(self.counts(area_id, year).values())

    def grade_age_sex(self, area_id: str, year: int) -> Counter[tuple[str, int, str]]:
        """(grade, age, sex) counts of the area's census (learners whose registration was read)."""
        def compute() -> Counter[tuple[str, int, str]]:
            rules, day = self.rules(year), self.census_day(year)
            table: Counter[tuple[str, int, str]] = Counter()
            for (_, grade, sex, birth_year), n in self.counts(area_id, year).items():
                if sex is not None and birth_year is not None:
                    table[(grade, rules.age_on(birth_year, day), sex)] += n
            return table

        return self._memo(("grade_age_sex", area_id, year), compute)

    def new_entrants(self, area_id: str, year: int) -> int:
        """Learners of the area in grade 1 on the census day who were not in grade 1 the census before."""
        by_org = self._memo(("entrants", year), lambda: readers.new_entrant_counts(
            self.session, self.census_day(year), self.census_day(year - 1)))
        if area_id == NATIONAL:
            return sum(by_org.values())
        inside = self.orgs_within(area_id, self.census_day(year))
        return sum(n for org, n in by_org.items() if org in inside)


_SNAPSHOTS: dict[int, Snapshot] = {}
_LOCK = threading.Lock()


def load_world(session: Session) -> World:
    """The projections seen through ``session``. While the offsets read are the same as when this database's
    snapshot was made, the snapshot (hierarchy and every count computed so far) is still exact and is reused."""
    offsets = readers.read_offsets(session)
    key = id(session.get_bind())
    with _LOCK:
        cached = _SNAPSHOTS.get(key)
    if cached is None or cached.offsets != offsets:
        cached = Snapshot(readers.hierarchy(session), offsets)
        with _LOCK:
            _SNAPSHOTS[key] = cached
    return World(cached, session)


def enrolment_indicators(session: Session, world: World, area_id: str,
                         year: int) -> tuple[list[Figure], list[MissingPopulation]]:
    """GER, NER, ANER, TNER, OOSR of every school level (both sexes and by sex, with GPI/GPIA), GIR.

    Computed once per state of the projections and population reference (the key holds the population read)."""
    people = readers.population_of(session, world.code(area_id), year)
    found, problems = world.snapshot.memo(("indicators", area_id, year, tuple(sorted(people.items()))),
                                          lambda: _enrolment_indicators(world, area_id, year, people))
    return list(found), list(problems)  # callers add to the lists: the kept ones stay as computed


def _enrolment_indicators(world: World, area_id: str, year: int, people: dict[tuple[int, str], int],
                          ) -> tuple[list[Figure], list[MissingPopulation]]:
    basis = world.basis(year)
    table = world.grade_age_sex(area_id, year)
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
    return world.new_entrants(area_id, year)


def pupil_teacher_ratios(session: Session, world: World, area_id: str, year: int) -> list[Figure]:
    day, basis = world.census_day(year), world.basis(year)
    counts = world.counts(area_id, year)
    orgs = {org for org, *_ in counts}
    loads = world.snapshot.memo(("teacher_loads", area_id, year), lambda: readers.teacher_loads(session, orgs, day))
    pupils: Counter[Isced] = Counter()
    for (_, grade, _, _), n in counts.items():
        pupils[isced_of(grade)] += n
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


def enrolment_by(world: World, area_id: str, year: int, key: Callable[[str], str]) -> Counter[tuple[str, str]]:
    """Learners of the area on the census day, counted by ``(key(org), grade)``."""
    counts: Counter[tuple[str, str]] = Counter()
    for (org_id, grade, _, _), n in world.counts(area_id, year).items():
        counts[(key(org_id), grade)] += n
    return counts
