"""Flow rates between two consecutive censuses: the UIS estimate and the actual figure from individual records.

UIS (from aggregates only):  p = (E[g+1,t+1] − R[g+1,t+1]) / E[g,t],  r = R[g,t+1] / E[g,t],  d = 100 − p − r,
effective promotion = (E[g+1,t+1] − R[g+1,t+1]) / (E[g,t] − R[g,t+1]).
Actual: every learner of grade g in the area at t gets one outcome at t+1, and a learner who continues in a
school outside the area is *transferred out*, never a dropout.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from stats.domain.enrolment import Census
from stats.domain.lineage import Figure, Lineage, figure
from stats.domain.rules import RuleSet, grade_number

COMPLETION_GRADES = frozenset({"9", "12"})  # leaving after these earns a certificate: completion, not dropout


class Outcome(StrEnum):
    PROMOTED = "promoted"
    REPEATED = "repeated"
    TRANSFERRED_OUT = "transferred_out"
    COMPLETED = "completed"
    EXITED = "exited"  # left the country or died
    DROPPED_OUT = "dropped_out"


@dataclass(frozen=True)
class FlowInputs:
    """E by grade at t and t+1 and repeaters at t+1, all for one area (the UIS formula's inputs)."""

    enrolled_t: Counter[str]
    enrolled_t1: Counter[str]
    repeaters_t1: Counter[str]


def flow_inputs(area_t: Census, area_t1: Census, everywhere_t: Census) -> FlowInputs:
    """Repeaters at t+1 are learners of the area in grade g at t+1 who were in grade g at t (anywhere)."""
    repeaters: Counter[str] = Counter()
    for learner_id, placement in area_t1.items():
        before = everywhere_t.get(learner_id)
        if before is not None and before.grade == placement.grade:
            repeaters[placement.grade] += 1
    return FlowInputs(Counter(p.grade for p in area_t.values()), Counter(p.grade for p in area_t1.values()),
                      repeaters)


def next_grade(grade: str) -> str | None:
    number = grade_number(grade)
    return str(number + 1) if number is not None and number < 12 else None


def uis_rates(inputs: FlowInputs, grade: str, lineage: Lineage) -> dict[str, Figure]:
    """Promotion, repetition, dropout and effective promotion rates of ``grade`` by the UIS formulas."""
    e_g = inputs.enrolled_t[grade]
    r_g = inputs.repeaters_t1[grade]
    rates = {"repetition_rate": figure("repetition_rate", r_g, e_g, lineage, grade=grade)}
    following = next_grade(grade)
    if following is None:
        return rates
    promoted = inputs.enrolled_t1[following] - inputs.repeaters_t1[following]
    rates["promotion_rate"] = figure("promotion_rate", promoted, e_g, lineage, grade=grade)
    rates["dropout_rate"] = figure("dropout_rate", e_g - promoted - r_g, e_g, lineage, grade=grade)
    rates["effective_promotion_rate"] = figure("effective_promotion_rate", promoted, e_g - r_g, lineage,
                                               grade=grade)
    return rates


def outcome(grade: str, later: Census, in_area: Mapping[str, bool], learner_id: str,
            exits: Mapping[str, str], rules: RuleSet) -> Outcome:
    """What became of one learner of ``grade`` in the area at t, seen at the census of t+1."""
    placement = later.get(learner_id)
    if placement is not None:
        if not in_area.get(learner_id, False):
            return Outcome.TRANSFERRED_OUT
        now, before = grade_number(placement.grade), grade_number(grade)
        return Outcome.PROMOTED if (now or 0) > (before or 0) else Outcome.REPEATED
    if exits.get(learner_id) in rules.exits_not_dropout:
        return Outcome.EXITED
    if learner_id not in exits and grade in COMPLETION_GRADES:
        return Outcome.COMPLETED
    return Outcome.DROPPED_OUT


def actual_outcomes(area_t: Census, later: Census, in_area_t1: Mapping[str, bool],
                    exits: Mapping[str, str], rules: RuleSet) -> dict[str, Counter[Outcome]]:
    """Per grade at t, how many learners had each outcome at t+1 (the outcomes of a grade add up to E[g,t])."""
    result: dict[str, Counter[Outcome]] = {}
    for learner_id, placement in sorted(area_t.items()):
        found = outcome(placement.grade, later, in_area_t1, learner_id, exits, rules)
        result.setdefault(placement.grade, Counter())[found] += 1
    return result


def actual_rates(outcomes: Counter[Outcome], grade: str, lineage: Lineage) -> dict[str, Figure]:
    total = sum(outcomes.values())
    return {f"actual_{o.value}_rate": figure(f"actual_{o.value}_rate", outcomes[o], total, lineage, grade=grade)
            for o in Outcome}


def as_fraction(rate: Figure) -> Fraction:
    return Fraction(int(rate.numerator), int(rate.denominator)) if rate.denominator else Fraction(0)
