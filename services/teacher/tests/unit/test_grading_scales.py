"""The Mongolian grading scales from the reference data, on their boundary values, and the weighted means."""

from __future__ import annotations

from decimal import Decimal

import pytest
from teacher.domain.errors import Invalid
from teacher.domain.grading import annual_percents, parse_percent, weighted_percent
from teacher.domain.reference import Reference

YEARS = ("2025-2026", "2026-2027")


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("percent, band", [
    ("59.99", "F"), ("60", "D"), ("69.9", "D"), ("70", "C"), ("79.99", "C"), ("80", "B"), ("89.9", "B"),
    ("90", "A"), ("100", "A"), ("0", "F")])
def test_grades_six_to_twelve_get_letter_grades(reference: Reference, year: str, percent: str, band: str) -> None:
    for level in ("6", "9", "12"):
        assert reference.calendar.year(year).scale_for(level).band_for(Decimal(percent)).code == band


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("percent, band, label", [
    ("0", "khangaltgui", "Хангалтгүй"), ("25", "khangaltgui", "Хангалтгүй"),
    ("26", "demjlag_kheregtei", "Дэмжлэг хэрэгтэй"), ("39", "demjlag_kheregtei", "Дэмжлэг хэрэгтэй"),
    ("40", "dundjaas_dooguur", "Дунджаас доогуур"), ("54", "dundjaas_dooguur", "Дунджаас доогуур"),
    ("55", "khangalttai", "Хангалттай"), ("69", "khangalttai", "Хангалттай"), ("70", "sain", "Сайн"),
    ("84", "sain", "Сайн"), ("85", "onts", "Онц"), ("100", "onts", "Онц")])
def test_primary_grades_get_six_levels(reference: Reference, year: str, percent: str, band: str, label: str) -> None:
    found = reference.calendar.year(year).scale_for("3").band_for(Decimal(percent))
    assert (found.code, found.label_mn) == (band, label)


def test_a_percent_between_two_primary_levels_belongs_to_the_lower_one(reference: Reference) -> None:
    scale = reference.calendar.year("2026-2027").scale_for("1")
    assert scale.band_for(Decimal("84.5")).code == "sain" and scale.band_for(Decimal("25.5")).code == "khangaltgui"


def test_a_mean_that_rounds_up_to_a_boundary_gets_the_higher_grade(reference: Reference) -> None:
    scale = reference.calendar.year("2026-2027").scale_for("10")
    mean = weighted_percent([(Decimal("59.99"), Decimal(1)), (Decimal("60"), Decimal(1))])
    assert mean == Decimal("60.00") and scale.band_for(mean).code == "D"


def test_kindergarten_groups_have_no_scale(reference: Reference) -> None:
    assert reference.calendar.year("2026-2027").scale_for("beltgel") is None


def test_marks_are_weighted_by_their_assessment_weight() -> None:
    assert weighted_percent([(Decimal(90), Decimal(1)), (Decimal(60), Decimal(2))]) == Decimal("70.00")
    assert weighted_percent([]) is None


def test_the_annual_percent_weights_the_terms_and_skips_a_term_without_marks() -> None:
    weights = {1: Decimal(1), 2: Decimal(1), 3: Decimal(2), 4: Decimal(1)}
    by_term = {1: {"a": Decimal(80)}, 2: {"a": Decimal(60)}, 3: {"a": Decimal(90)}, 4: {"a": None}}
    assert annual_percents(by_term, weights, ["a"]) == {"a": Decimal("80.00")}


@pytest.mark.parametrize("value, code", [("100.5", "percent_out_of_range"), ("-1", "percent_out_of_range"),
                                         ("abc", "not_a_number"), ("70.123", "too_many_decimals"),
                                         ("NaN", "percent_out_of_range")])
def test_a_bad_mark_is_refused_naming_the_field(value: str, code: str) -> None:
    with pytest.raises(Invalid) as exc:
        parse_percent(value, "marks[2].percent")
    assert exc.value.code == code and exc.value.details["fields"][0]["field"] == "marks[2].percent"


def test_a_comma_is_read_as_the_decimal_point() -> None:
    assert parse_percent("87,5", "percent") == Decimal("87.5")
