"""Survival to grade k: the UIS reconstructed-cohort estimate and the actual cohort of individual records.

Reconstructed cohort: a simulated grade-1 cohort moves through the grades with the flow rates of one pair of
years (promotion p_g, repetition r_g, the rest drop out). A simulated pupil repeats at most
``max_repetitions`` times in all; one who would repeat again leaves. Survival to k = the share that ever
reaches grade k.

Actual cohort: the learners who entered grade 1 in the area in year t0 (not repeaters), followed through
every later census. Transfers are kept apart: a learner who continues in a school outside the area, or left
the country or died, before reaching grade k is censored (removed from the denominator), not counted as lost.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction

from stats.domain.enrolment import Census
from stats.domain.lineage import Figure, Lineage, figure
from stats.domain.rules import RuleSet, grade_number


def reconstructed_cohort(promotion: Sequence[Fraction], repetition: Sequence[Fraction],
                         max_repetitions: int) -> list[Fraction]:
    """Share of the cohort ever reaching grade 1..n, where ``promotion[i]`` is p of grade i+1 (n−1 entries)."""
    grades = len(promotion) + 1
    reached = [Fraction(0)] * grades
    reached[0] = Fraction(1)
    states: dict[tuple[int, int], Fraction] = {(0, 0): Fraction(1)}
    while states:
        following: dict[tuple[int, int], Fraction] = defaultdict(Fraction)
        for (grade, repeats), mass in states.items():
            if grade + 1 < grades:
                reached[grade + 1] += mass * promotion[grade]
                following[(grade + 1, repeats)] += mass * promotion[grade]
            if grade < len(repetition) and repeats < max_repetitions:
                following[(grade, repeats + 1)] += mass * repetition[grade]
        states = {key: mass for key, mass in following.items() if mass}
    return reached


def reconstructed_survival(promotion: Sequence[Fraction], repetition: Sequence[Fraction], rules: RuleSet,
                           lineage: Lineage) -> list[Figure]:
    """Survival rate (percent) to each grade, from grade 1."""
    reached = reconstructed_cohort(promotion, repetition, rules.max_repetitions)
    return [figure("survival_rate", share, 1, lineage, grade=str(k + 1)) for k, share in enumerate(reached)]


def new_entrants(grade1_t0: Census, previous: Census) -> set[str]:
    """Learners in grade 1 at t0 who were not in grade 1 at the census before (so: not repeaters)."""
    return {lid for lid, p in grade1_t0.items() if p.grade == "1"
            and not (lid in previous and previous[lid].grade == "1")}


def actual_survival(cohort: set[str], later: Sequence[Census], in_area: Callable[[int, str], bool],
                    exits: Mapping[str, str], rules: RuleSet, grade: str, lineage: Lineage) -> Figure:
    """Share of ``cohort`` seen in ``grade`` or above at some later census (``later[i]`` is census t0+1+i).

    ``in_area(i, learner)`` tells whether the learner's school at census i lies in the area.
    """
    target = grade_number(grade) or 0
    reached = censored = 0
    for learner_id in sorted(cohort):
        fate = _follow(learner_id, later, in_area, target)
        if fate == "reached":
            reached += 1
        elif fate == "left_area" or exits.get(learner_id) in rules.exits_not_dropout:
            censored += 1
    return figure("actual_survival_rate", reached, len(cohort) - censored, lineage, grade=grade,
                  observed_years=str(len(later)))


def _follow(learner_id: str, later: Sequence[Census], in_area: Callable[[int, str], bool], target: int) -> str:
    for index, placements in enumerate(later):
        placement = placements.get(learner_id)
        if placement is None:
            continue
        if not in_area(index, learner_id):
            return "left_area"
        if (grade_number(placement.grade) or 0) >= target:
            return "reached"
    return "not_reached"
