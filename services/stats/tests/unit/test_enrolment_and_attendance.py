"""Enrolment as of a date over an effective-dated hierarchy; attendance rate and chronic absence."""

from __future__ import annotations

from datetime import date

from stats.domain.attendance import (
    Mark,
    attendance_rate,
    chronic_absence,
    per_learner,
    unmarked_class_days,
)
from stats.domain.enrolment import Learner, Spell, enrolment_cube
from stats.domain.hierarchy import Hierarchy, Link, Unit
from stats.domain.lineage import Lineage
from stats.domain.rules import rules_for

OPEN = date(2000, 1, 1)
MOVE = date(2024, 1, 1)


def hierarchy() -> Hierarchy:
    """Aimag 65 with soums S1 and S2; school X sat in S1 and moved to S2 on 2024-01-01."""
    x = Unit("X", "school", "X", "School X", OPEN, links=[Link("S1", OPEN)])
    x.move("S2", MOVE)
    return Hierarchy([
        Unit("MIN", "ministry", "MIN", "Ministry", OPEN),
        Unit("A65", "aimag", "65", "Arkhangai", OPEN, links=[Link("MIN", OPEN)]),
        Unit("S1", "soum", "6501", "Soum 1", OPEN, links=[Link("A65", OPEN)]),
        Unit("S2", "soum", "6502", "Soum 2", OPEN, links=[Link("A65", OPEN)]),
        x,
    ])


LEARNERS = {"a": Learner("a", "female", 2017), "b": Learner("b", "male", 2017), "c": Learner("c", "male", 2016)}
SPELLS = [
    Spell("a", "X", "1a", "1", date(2023, 9, 1), date(2024, 6, 15)),
    Spell("a", "X", "2a", "2", date(2024, 9, 1)),
    Spell("b", "X", "1a", "1", date(2023, 9, 1), date(2023, 12, 1)),  # withdrawn in December
    Spell("c", "X", "1a", "1", date(2023, 9, 1), date(2023, 11, 1)),  # moved class in November
    Spell("c", "X", "1b", "1", date(2023, 11, 1), date(2024, 6, 15)),
    Spell("c", "X", "2b", "2", date(2024, 9, 1)),
]


def test_enrolment_follows_the_hierarchy_of_the_day_asked() -> None:
    rules = rules_for(date(2023, 10, 1))
    # 2023-10-01: X is in S1; a (girl, 2023−2017 = 6), b (boy, 6), c (boy, 7) in grade 1
    assert enrolment_cube(SPELLS, LEARNERS, hierarchy(), date(2023, 10, 1), rules, "soum") == {
        ("S1", "1", "female", 6): 1, ("S1", "1", "male", 6): 1, ("S1", "1", "male", 7): 1}
    # 2024-10-01: X is in S2; b withdrew; a is 7 in grade 2, c is 8 in grade 2
    assert enrolment_cube(SPELLS, LEARNERS, hierarchy(), date(2024, 10, 1), rules, "soum") == {
        ("S2", "2", "female", 7): 1, ("S2", "2", "male", 8): 1}


def test_enrolment_rolls_up_to_the_aimag_and_the_nation() -> None:
    rules = rules_for(date(2023, 11, 15))
    # mid-November c is in class 1b (one spell only): three learners, none counted twice
    aimag = enrolment_cube(SPELLS, LEARNERS, hierarchy(), date(2023, 11, 15), rules, "aimag")
    assert sum(aimag.values()) == 3 and {key[0] for key in aimag} == {"A65"}
    national = enrolment_cube(SPELLS, LEARNERS, hierarchy(), date(2023, 12, 1), rules, "national")
    assert sum(national.values()) == 2  # b's spell ended on 1 December (exclusive)


def test_hierarchy_answers_as_of_a_day() -> None:
    h = hierarchy()
    assert h.area_at("X", "soum", date(2023, 12, 31)) == "S1"
    assert h.area_at("X", "soum", MOVE) == "S2"
    assert h.aimag_code("X", MOVE) == "65"
    assert h.reporting_children("national", MOVE) == ["A65"]


LINEAGE = Lineage("uis-2019", None, "t")


def marks() -> list[Mark]:
    days = [date(2024, 9, d) for d in range(2, 22)]
    found = []
    found += [Mark("p1", d, "absent" if i == 0 else "present") for i, d in enumerate(days[:10])]  # 1/10 missed
    found += [Mark("p2", d, "present") for d in days[:10]]
    found.insert(10, Mark("p2", days[0], "absent"))  # entered absent, then corrected to present
    found += [Mark("p3", d, "excused" if i < 2 else "late") for i, d in enumerate(days[:10])]  # 2/10 missed
    found += [Mark("p4", d, "absent" if i == 0 else "present") for i, d in enumerate(days)]  # 1/20 missed
    return found


def test_attendance_rate_counts_present_and_late_days() -> None:
    # marked days 10 + 10 + 10 + 20 = 50; missed 1 + 0 + 2 + 1 = 4 -> 46 / 50 = 92 %
    assert attendance_rate(per_learner(marks()), LINEAGE).value == 92.0


def test_chronic_absence_is_ten_percent_of_days_or_more() -> None:
    # p1 missed exactly 10 % (chronic), p3 20 % (chronic), p2 0 % after the correction, p4 5 % -> 2 of 4
    figure = chronic_absence(per_learner(marks()), rules_for(date(2024, 9, 1)).chronic_absence_share, LINEAGE)
    assert (figure.numerator, figure.denominator, figure.value) == (2, 4, 50.0)


def test_unmarked_class_days() -> None:
    expected = {(c, date(2024, 9, d)) for c in ("1a", "1b") for d in range(2, 7)}  # 10 class-days
    marked = expected - {("1b", date(2024, 9, 5)), ("1b", date(2024, 9, 6))}
    assert unmarked_class_days(expected, marked, LINEAGE).value == 20.0
