"""Promotion, repetition, dropout and survival: the UIS estimate beside the actual figure of individual records."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from stats.domain.enrolment import Census, Placement
from stats.domain.flows import Outcome, actual_outcomes, actual_rates, flow_inputs, uis_rates
from stats.domain.lineage import Lineage
from stats.domain.rules import rules_for
from stats.domain.survival import actual_survival, new_entrants, reconstructed_cohort, reconstructed_survival

RULES = rules_for(date(2024, 10, 1))
LINEAGE = Lineage(RULES.version, date(2024, 10, 1), "test")
IN_AREA = {"A1", "A2"}  # the soum's schools; B1 lies in another soum

# Census t: ten first-graders L1..L10 in A1; M2 in grade 2 in A1; M1 in grade 1 in B1 (outside).
CENSUS_T: Census = {**{f"L{i}": Placement("A1", "1") for i in range(1, 11)},
                    "M2": Placement("A1", "2"), "M1": Placement("B1", "1")}
# Census t+1: L1–L6 promoted in A1, L7 promoted in A2 (moved inside the soum), L8 repeats, L9 continues in B1
# (outside: a transfer), L10 left for abroad; M1 transferred in to grade 2; M2 repeats grade 2.
CENSUS_T1: Census = {**{f"L{i}": Placement("A1", "2") for i in range(1, 7)}, "L7": Placement("A2", "2"),
                     "L8": Placement("A1", "1"), "L9": Placement("B1", "2"), "M1": Placement("A1", "2"),
                     "M2": Placement("A1", "2")}
EXITS = {"L10": "moved_abroad"}


def area(census: Census) -> Census:
    return {lid: p for lid, p in census.items() if p.org_id in IN_AREA}


def test_uis_rates_from_aggregates() -> None:
    inputs = flow_inputs(area(CENSUS_T), area(CENSUS_T1), CENSUS_T)
    # E[1,t] = 10, E[2,t+1] = 9 (L1–L7, M1, M2), R[2,t+1] = 1 (M2), R[1,t+1] = 1 (L8)
    assert (inputs.enrolled_t["1"], inputs.enrolled_t1["2"], inputs.repeaters_t1["2"]) == (10, 9, 1)
    rates = uis_rates(inputs, "1", LINEAGE)
    assert rates["promotion_rate"].value == 80.0  # (9 − 1) / 10
    assert rates["repetition_rate"].value == 10.0  # 1 / 10
    assert rates["dropout_rate"].value == 10.0  # 100 − 80 − 10
    assert rates["effective_promotion_rate"].value == pytest.approx(88.888889, abs=1e-6)  # 8 / (10 − 1)


def test_actual_outcomes_keep_transfers_and_emigration_apart_from_dropout() -> None:
    in_area_t1 = {lid: p.org_id in IN_AREA for lid, p in CENSUS_T1.items()}
    outcomes = actual_outcomes(area(CENSUS_T), CENSUS_T1, in_area_t1, EXITS, RULES)["1"]
    assert outcomes == {Outcome.PROMOTED: 7, Outcome.REPEATED: 1, Outcome.TRANSFERRED_OUT: 1, Outcome.EXITED: 1}
    rates = actual_rates(outcomes, "1", LINEAGE)
    # promoted 7/10, transferred 1/10, dropped out 0: the UIS estimate above said 80 % and 10 % dropout
    assert rates["actual_promoted_rate"].value == 70.0
    assert rates["actual_transferred_out_rate"].value == 10.0
    assert rates["actual_dropped_out_rate"].value == 0.0
    assert sum(r.value or 0 for r in rates.values()) == 100.0


def test_a_learner_who_vanishes_without_a_known_exit_is_a_dropout_unless_they_completed() -> None:
    before = {"a": Placement("A1", "4"), "b": Placement("A1", "9"), "c": Placement("A1", "12")}
    outcomes = actual_outcomes(before, {}, {}, {"b": "family"}, RULES)
    assert outcomes["4"] == {Outcome.DROPPED_OUT: 1}
    assert outcomes["9"] == {Outcome.DROPPED_OUT: 1}  # withdrew during grade 9: no certificate
    assert outcomes["12"] == {Outcome.COMPLETED: 1}


def test_reconstructed_cohort_caps_repetition() -> None:
    promotion = [Fraction(4, 5), Fraction(9, 10)]
    repetition = [Fraction(1, 10), Fraction(1, 20), Fraction(0)]
    # no repetition allowed: grade 2 = 0.8, grade 3 = 0.8 × 0.9 = 0.72
    assert reconstructed_cohort(promotion, repetition, 0) == [1, Fraction(4, 5), Fraction(18, 25)]
    # one repetition: grade 2 = 0.8 + 0.1 × 0.8 = 0.88;
    # grade 3 = 0.8×0.9 + 0.8×0.05×0.9 (repeated grade 2) + 0.08×0.9 (repeated grade 1) = 0.72+0.036+0.072 = 0.828
    assert reconstructed_cohort(promotion, repetition, 1) == [1, Fraction(22, 25), Fraction(207, 250)]


def test_reconstructed_survival_rates_are_percent_from_grade_one() -> None:
    figures = reconstructed_survival([Fraction(4, 5)], [Fraction(1, 10), Fraction(0)], RULES, LINEAGE)
    # max_repetitions = 2 in these rules: 0.8 + 0.1×0.8 + 0.01×0.8 = 0.888
    assert [(f.dims, f.value) for f in figures] == [((("grade", "1"),), 100.0), ((("grade", "2"),), 88.8)]


def test_new_entrants_exclude_repeaters_of_grade_one() -> None:
    now = {"c1": Placement("A1", "1"), "r1": Placement("A1", "1"), "x": Placement("A1", "2")}
    assert new_entrants(now, {"r1": Placement("A1", "1"), "x": Placement("A1", "1")}) == {"c1"}


def test_actual_cohort_survival_censors_transfers_out_and_deaths() -> None:
    # C1 reaches grade 3; C2 repeats and is in grade 2 at t2; C3 continues outside the soum; C4 died;
    # C5 is promoted then disappears.
    t1 = {"C1": Placement("A1", "2"), "C2": Placement("A1", "1"), "C3": Placement("B1", "2"),
          "C5": Placement("A1", "2")}
    t2 = {"C1": Placement("A1", "3"), "C2": Placement("A1", "2")}
    later = [t1, t2]

    def in_area(index: int, learner: str) -> bool:
        return later[index][learner].org_id in IN_AREA

    cohort = {"C1", "C2", "C3", "C4", "C5"}
    exits = {"C4": "deceased"}
    to_3 = actual_survival(cohort, later, in_area, exits, RULES, "3", LINEAGE)
    to_2 = actual_survival(cohort, later, in_area, exits, RULES, "2", LINEAGE)
    # grade 3: reached C1 only; censored C3, C4 -> 1 / 3
    assert (to_3.numerator, to_3.denominator) == (1, 3)
    assert to_3.value == pytest.approx(33.333333, abs=1e-6)
    # grade 2: C1, C2 (at t2), C5 reached; C3, C4 censored -> 3 / 3
    assert to_2.value == 100.0
