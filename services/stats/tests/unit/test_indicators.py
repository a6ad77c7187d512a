"""UIS enrolment indicators on a hand-made area whose answers are worked out in the comments."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from stats.domain.errors import MissingPopulation
from stats.domain.indicators import (
    Basis,
    TeacherLoad,
    aner,
    ger,
    gpi,
    gpia,
    gross_intake_ratio,
    ner,
    oosr,
    ptr,
    tner,
)
from stats.domain.lineage import Lineage, figure
from stats.domain.rules import Isced, rules_for

# Population of primary age (6–10): 10 boys and 10 girls of every age -> 50 + 50 = 100.
POPULATION = {(age, sex): 10 for age in range(6, 11) for sex in ("male", "female")}
ENROLMENT = {
    # official-age primary pupils: boys 10+8+8+8+8 = 42, girls 9+8+7+7+7 = 38 -> 80
    ("1", 6, "male"): 10, ("1", 6, "female"): 9, ("2", 7, "male"): 8, ("2", 7, "female"): 8,
    ("3", 8, "male"): 8, ("3", 8, "female"): 7, ("4", 9, "male"): 8, ("4", 9, "female"): 7,
    ("5", 10, "male"): 8, ("5", 10, "female"): 7,
    # over-age in primary: boys 3+1 = 4, girls 2 -> 6
    ("5", 11, "male"): 3, ("4", 12, "male"): 1, ("5", 11, "female"): 2,
    # under-age in grade 1: 1 boy, 1 girl -> 2
    ("1", 5, "male"): 1, ("1", 5, "female"): 1,
    # primary-age (10) already in lower secondary: 1 boy, 2 girls -> 3
    ("6", 10, "male"): 1, ("6", 10, "female"): 2,
    # primary-age (6) in the pre-primary year: 2 + 2 -> 4
    ("beltgel", 6, "male"): 2, ("beltgel", 6, "female"): 2,
    # lower-secondary pupils of lower-secondary age: no effect on any primary figure
    ("7", 12, "male"): 20,
}
CENSUS_2024 = date(2024, 10, 1)
CENSUS_2018 = date(2018, 10, 1)


def basis(day: date = CENSUS_2024) -> Basis:
    return Basis(rules_for(day), day, offsets=(("education.enrolments.v1", 0, 42),))


def test_ger_counts_every_primary_pupil_of_any_age() -> None:
    # (80 official-age + 6 over-age + 2 under-age) / 100 = 88 %
    assert ger(Isced.PRIMARY, ENROLMENT, POPULATION, basis()).value == 88.0


def test_ner_counts_only_official_age_pupils_of_the_level() -> None:
    # 80 / 100
    assert ner(Isced.PRIMARY, ENROLMENT, POPULATION, basis()).value == 80.0


def test_aner_adds_official_age_pupils_in_a_higher_level() -> None:
    # (80 + 3 ten-year-olds in grade 6) / 100
    assert aner(Isced.PRIMARY, ENROLMENT, POPULATION, basis()).value == 83.0


def test_pre_primary_counts_as_in_school_from_2019_only() -> None:
    # 2018 rules: 80 + 3 = 83 in school, OOSR 17; 2019 rules add the 4 six-year-olds in beltgel: 87, OOSR 13.
    assert tner(Isced.PRIMARY, ENROLMENT, POPULATION, basis(CENSUS_2018)).value == 83.0
    assert oosr(Isced.PRIMARY, ENROLMENT, POPULATION, basis(CENSUS_2018)).value == 17.0
    assert tner(Isced.PRIMARY, ENROLMENT, POPULATION, basis()).value == 87.0
    after = oosr(Isced.PRIMARY, ENROLMENT, POPULATION, basis())
    assert after.value == 13.0
    assert after.lineage.rule_version == "uis-2019"
    assert oosr(Isced.PRIMARY, ENROLMENT, POPULATION, basis(CENSUS_2018)).lineage.rule_version == "uis-2011"


def test_ratios_by_sex_and_gender_parity() -> None:
    # girls: (38 + 2 + 1) / 50 = 82 %; boys: (42 + 4 + 1) / 50 = 94 %; GPI = 82/94 = 0.872340…
    female = ger(Isced.PRIMARY, ENROLMENT, POPULATION, basis(), sex="female")
    male = ger(Isced.PRIMARY, ENROLMENT, POPULATION, basis(), sex="male")
    assert (female.value, male.value) == (82.0, 94.0)
    assert gpi(female, male).value == pytest.approx(0.872340, abs=1e-6)
    assert gpia(female, male).value == gpi(female, male).value  # girls below boys: the plain ratio


def test_adjusted_gpi_stays_below_two_when_girls_lead() -> None:
    # X_f = 90, X_m = 80: GPI = 1.125, GPIA = 2 − 80/90 = 1.111111
    lineage = Lineage("uis-2019", CENSUS_2024, "f")
    female, male = figure("ner", 90, 100, lineage), figure("ner", 80, 100, lineage)
    assert gpi(female, male).value == 1.125
    assert gpia(female, male).value == pytest.approx(1.111111, abs=1e-6)


def test_gross_intake_ratio_takes_new_entrants_of_any_age_per_six_year_olds() -> None:
    # 21 new entrants to grade 1 / 20 six-year-olds = 105 %
    assert gross_intake_ratio(21, POPULATION, basis()).value == 105.0


def test_pupil_teacher_ratio_by_headcount_fte_and_qualified_teachers() -> None:
    loads = [
        TeacherLoad("t1", Isced.PRIMARY, Fraction(1), Fraction(1), qualified=True),
        TeacherLoad("t2", Isced.PRIMARY, Fraction(1), Fraction(1, 2), qualified=True),
        TeacherLoad("t3", Isced.PRIMARY, Fraction(1, 2), Fraction(1), qualified=False),
        TeacherLoad("t3", Isced.LOWER_SECONDARY, Fraction(1, 2), Fraction(1), qualified=False),
    ]
    # 88 pupils / 3 teachers = 29.333333; FTE 1 + 0.5 + 0.5 = 2 -> 44; qualified headcount 2 -> 44
    assert ptr(Isced.PRIMARY, 88, loads, basis()).value == pytest.approx(29.333333, abs=1e-6)
    assert ptr(Isced.PRIMARY, 88, loads, basis(), fte=True).value == 44.0
    assert ptr(Isced.PRIMARY, 88, loads, basis(), qualified_only=True).value == 44.0


def test_same_inputs_give_the_same_figure_and_lineage() -> None:
    first = ner(Isced.PRIMARY, ENROLMENT, POPULATION, basis())
    again = ner(Isced.PRIMARY, dict(reversed(list(ENROLMENT.items()))), POPULATION, basis())
    assert first == again
    assert first.lineage.event_offsets == (("education.enrolments.v1", 0, 42),)
    assert first.lineage.census_date == CENSUS_2024


def test_a_changed_input_changes_the_fingerprint() -> None:
    first = ner(Isced.PRIMARY, ENROLMENT, POPULATION, basis())
    changed = ner(Isced.PRIMARY, {**ENROLMENT, ("7", 12, "male"): 21}, POPULATION, basis())
    assert changed.value == first.value  # the extra pupil is not in the formula…
    assert changed.lineage.input_fingerprint != first.lineage.input_fingerprint  # …but the inputs differ


def test_a_ratio_without_population_names_what_is_missing() -> None:
    with pytest.raises(MissingPopulation, match="ages 6–10"):
        ger(Isced.PRIMARY, ENROLMENT, {}, basis())
