"""WHO z-scores of kindergarten measurements, checked against rows of the tables WHO publishes: the median
gives z = 0 and the +2 SD value gives z = 2 (the tables round to 0.1, hence the tolerance)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from parent.adapters.who_growth import WhoGrowthStandard
from parent.domain import growth
from parent.domain.growth import Measurement
from parent.service_layer import views

from .conftest import MOTHER

WHO = WhoGrowthStandard()
MONTH = Decimal("30.4375")


def age(months: int) -> int:
    """Days of age; from 61 months one day more, to land in the WHO 2007 rows (the 2006 tables end on day 1856)."""
    return int(months * MONTH) + (1 if months > 60 else 0)


# (indicator, sex, age in months, published median, published +2 SD): WHO Child Growth Standards 2006 (simplified
# field tables, 2-5 years) and WHO Growth Reference 2007 (5-19 years).
PUBLISHED = [
    ("wfa", "male", 24, "12.2", "15.3"),
    ("wfa", "male", 36, "14.3", "18.3"),
    ("wfa", "male", 48, "16.3", "21.2"),
    ("wfa", "female", 36, "13.9", "18.1"),
    ("wfa", "female", 48, "16.1", "21.5"),
    ("hfa", "male", 36, "96.1", "103.5"),
    ("hfa", "male", 48, "103.3", "111.7"),
    ("hfa", "female", 36, "95.1", "102.7"),
    ("hfa", "female", 48, "102.7", "111.3"),
    ("bfa", "male", 61, "15.3", "18.3"),
    ("bfa", "female", 61, "15.2", "18.9"),
    ("hfa", "male", 120, "137.8", "150.5"),
]


def zscore(indicator: str, sex: str, months: int, value: str) -> Decimal:
    v = Decimal(value)
    if indicator == "bfa":  # BMI from a 1 m child: weight equals BMI
        return WHO.zscore("bfa", sex=sex, age_days=age(months), weight_kg=v, height_cm=Decimal(100))
    return WHO.zscore(indicator, sex=sex, age_days=age(months), weight_kg=v, height_cm=v)


@pytest.mark.parametrize(("indicator", "sex", "months", "median", "plus_two"), PUBLISHED)
def test_published_who_rows_give_zero_and_two(indicator, sex, months, median, plus_two) -> None:
    assert abs(zscore(indicator, sex, months, median)) <= Decimal("0.06")
    assert abs(zscore(indicator, sex, months, plus_two) - 2) <= Decimal("0.06")


@pytest.mark.parametrize(("sex", "height", "median", "plus_two"), [("male", 100, "15.4", "18.2"),
                                                                     ("female", 100, "15.2", "18.4"),
                                                                     ("male", 90, "12.9", "15.2")])
def test_published_weight_for_height_rows(sex, height, median, plus_two) -> None:
    def z(weight: str) -> Decimal:
        return WHO.zscore("wfh", sex=sex, age_days=age(40), weight_kg=Decimal(weight), height_cm=Decimal(height))

    assert abs(z(median)) <= Decimal("0.06")
    assert abs(z(plus_two) - 2) <= Decimal("0.06")


def test_the_reference_switches_from_who_2006_to_who_2007_after_five_years() -> None:
    assert growth.reference_for(age(60)) == "WHO 2006"
    assert growth.reference_for(age(61) + 1) == "WHO 2007"
    assert growth.indicators_for(age(48)) == ("wfa", "hfa", "bfa", "wfh")
    assert growth.indicators_for(age(72)) == ("wfa", "hfa", "bfa")
    assert growth.indicators_for(age(132)) == ("hfa", "bfa")


@pytest.mark.parametrize(("indicator", "z", "months", "status"), [
    ("hfa", "-2.5", 40, "stunted"), ("hfa", "-3.2", 40, "severely_stunted"), ("wfa", "-2.1", 40, "underweight"),
    ("wfh", "2.4", 40, "overweight"), ("wfh", "3.1", 40, "obese"), ("wfh", "0.4", 40, "normal"),
    ("bfa", "1.5", 72, "overweight"), ("bfa", "2.5", 72, "obesity"), ("bfa", "-2.5", 72, "thinness")])
def test_classification_follows_the_who_cut_offs(indicator, z, months, status) -> None:
    assert growth.classify(indicator, Decimal(z), age(months)) == status


def test_a_kindergarten_childs_measurements_become_a_chart_with_z_scores(linked) -> None:
    birth = date(2021, 5, 10)
    with linked.uow() as uow:
        uow.journal.save_measurement(Measurement("gm-1", "lrn-sarnai", birth + timedelta(days=age(36)),
                                                 Decimal("95.1"), Decimal("13.9")))
        uow.journal.save_measurement(Measurement("gm-2", "lrn-sarnai", birth + timedelta(days=age(48)),
                                                 Decimal("94.0"), Decimal("12.0")))
        uow.commit()

    child, points, _ = views.growth_chart(MOTHER, "lrn-sarnai", linked)

    assert child.is_kindergarten
    first, second = points
    assert abs(first.z("hfa")) <= Decimal("0.05") and abs(first.z("wfa")) <= Decimal("0.05")
    statuses = {a.indicator: a.status for a in second.assessments}
    assert statuses["hfa"] == "stunted" and statuses["wfa"] == "underweight"
    assert {a.reference for a in second.assessments} == {"WHO 2006"}


def test_reference_curves_give_the_published_values() -> None:
    assert abs(WHO.curve_value("hfa", sex="male", age_days=age(36), z=0) - Decimal("96.1")) < Decimal("0.06")
    assert abs(WHO.curve_value("wfa", sex="female", age_days=age(48), z=2) - Decimal("21.5")) < Decimal("0.06")
