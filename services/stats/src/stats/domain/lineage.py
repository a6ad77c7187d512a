"""Figures and their lineage: which rules, which census date and exactly which inputs produced a number.

The input fingerprint is a SHA-256 of a canonical rendering of the inputs, so recomputing a figure from the
same inputs gives the same fingerprint and the same value, and any changed input shows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass, field, is_dataclass
from datetime import date
from enum import Enum
from fractions import Fraction
from typing import Any

Offsets = tuple[tuple[str, int, int], ...]  # (topic, partition, next offset) the projections had read


@dataclass(frozen=True)
class Lineage:
    rule_version: str
    census_date: date | None
    input_fingerprint: str
    event_offsets: Offsets = ()

    def as_dict(self) -> dict[str, Any]:
        return {"rule_version": self.rule_version,
                "census_date": self.census_date.isoformat() if self.census_date else None,
                "input_fingerprint": self.input_fingerprint,
                "event_offsets": [{"topic": t, "partition": p, "offset": o} for t, p, o in self.event_offsets]}


@dataclass(frozen=True)
class Figure:
    """One published number: ``value`` = numerator / denominator × scale, None when the denominator is 0."""

    indicator: str
    value: float | None
    numerator: float
    denominator: float
    lineage: Lineage
    dims: tuple[tuple[str, str], ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        return {"indicator": self.indicator, "value": self.value, "numerator": self.numerator,
                "denominator": self.denominator, "dims": dict(self.dims), "lineage": self.lineage.as_dict()}


def ratio(numerator: Fraction | int, denominator: Fraction | int, scale: int = 100) -> float | None:
    """Exact arithmetic to the end, then one rounding: the same inputs always give the same float."""
    if denominator == 0:
        return None
    return round(float(Fraction(numerator) * scale / Fraction(denominator)), 6)


def _canonical(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {k: _canonical(v) for k, v in sorted(vars(value).items())}
    if isinstance(value, Mapping):
        return sorted(([_canonical(k), _canonical(v)] for k, v in value.items()), key=repr)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = [_canonical(v) for v in value]
        return items if isinstance(value, (list, tuple)) else sorted(items, key=repr)
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, (date, Fraction)):
        return str(value)
    return value


def fingerprint(*inputs: Any) -> str:
    """SHA-256 (hex) of the canonical JSON of ``inputs``; order inside sets and mappings does not matter."""
    text = json.dumps(_canonical(list(inputs)), ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def figure(indicator: str, numerator: Fraction | int, denominator: Fraction | int, lineage: Lineage,
           scale: int = 100, **dims: str) -> Figure:
    return Figure(indicator=indicator, value=ratio(numerator, denominator, scale), numerator=float(numerator),
                  denominator=float(denominator), lineage=lineage, dims=tuple(sorted(dims.items())))
