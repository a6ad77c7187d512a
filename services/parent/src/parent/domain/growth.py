"""Kindergarten growth: z-scores of each measurement against the WHO references, and what they mean.

Which reference applies is decided here (WHO 2006 Child Growth Standards up to 60 completed months, WHO 2007
Growth Reference from 61 months); the numbers come from a ``GrowthStandard`` (adapters/who_growth.py wraps a
maintained library, so the LMS tables are not copied into this code).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Protocol

WHO_2006_LAST_DAY = 1856  # 60 completed months and a half: the last day of the WHO 2006 tables
WFA_LAST_DAY = 3652  # weight-for-age has no reference after 10 years (WHO 2007)
INDICATORS = ("wfa", "hfa", "wfh", "bfa")


class GrowthStandard(Protocol):
    def zscore(self, indicator: str, *, sex: str, age_days: int, weight_kg: Decimal,
               height_cm: Decimal) -> Decimal | None:
        """The z-score, or None when the reference does not cover this age or height."""

    def curve_value(self, indicator: str, *, sex: str, age_days: int, z: int) -> Decimal | None:
        """The measurement at ``z`` standard deviations for an age (for the charts)."""


@dataclass(frozen=True)
class Measurement:
    measurement_id: str
    learner_id: str
    measured_on: date
    height_cm: Decimal
    weight_kg: Decimal

    @property
    def bmi(self) -> Decimal:
        metres = self.height_cm / 100
        return (self.weight_kg / (metres * metres)).quantize(Decimal("0.1"))


@dataclass(frozen=True)
class Assessment:
    indicator: str
    z: Decimal
    status: str  # a key of STATUS_LABELS
    reference: str  # "WHO 2006" | "WHO 2007"


@dataclass(frozen=True)
class GrowthPoint:
    measurement: Measurement
    age_days: int
    assessments: tuple[Assessment, ...]

    def z(self, indicator: str) -> Decimal | None:
        return next((a.z for a in self.assessments if a.indicator == indicator), None)


def reference_for(age_days: int) -> str:
    return "WHO 2006" if age_days <= WHO_2006_LAST_DAY else "WHO 2007"


def indicators_for(age_days: int) -> tuple[str, ...]:
    """Weight-for-height only under 5 (WHO 2006); weight-for-age up to 10 (WHO 2007); the rest to 19."""
    found = ["hfa", "bfa"]
    if age_days <= WFA_LAST_DAY:
        found.insert(0, "wfa")
    if age_days <= WHO_2006_LAST_DAY:
        found.append("wfh")
    return tuple(found)


def classify(indicator: str, z: Decimal, age_days: int) -> str:
    if indicator == "hfa":
        return _band(z, [(-3, "severely_stunted"), (-2, "stunted")], [(3, "very_tall")])
    if indicator == "wfa":
        return _band(z, [(-3, "severely_underweight"), (-2, "underweight")], [])
    if indicator == "bfa" and age_days > WHO_2006_LAST_DAY:
        return _band(z, [(-3, "severe_thinness"), (-2, "thinness")], [(2, "obesity"), (1, "overweight")])
    return _band(z, [(-3, "severely_wasted"), (-2, "wasted")],
                 [(3, "obese"), (2, "overweight"), (1, "risk_of_overweight")])


def _band(z: Decimal, low: list[tuple[int, str]], high: list[tuple[int, str]]) -> str:
    for limit, name in low:
        if z < limit:
            return name
    for limit, name in high:
        if z > limit:
            return name
    return "normal"


def assess(measurement: Measurement, *, birth_date: date, sex: str, standard: GrowthStandard) -> GrowthPoint:
    age_days = (measurement.measured_on - birth_date).days
    found = []
    for indicator in indicators_for(age_days):
        z = standard.zscore(indicator, sex=sex, age_days=age_days, weight_kg=measurement.weight_kg,
                            height_cm=measurement.height_cm)
        if z is not None:
            found.append(Assessment(indicator, z, classify(indicator, z, age_days), reference_for(age_days)))
    return GrowthPoint(measurement, age_days, tuple(found))


def is_concern(status: str) -> bool:
    return status not in ("normal", "very_tall", "risk_of_overweight")
