"""Marks and their arithmetic: percent marks per assessment, weighted term percents, annual percents.

A learner's term percent is the mean of their marks in that term weighted by each assessment's weight;
assessments the learner has no mark for are left out (absent from a test is not a zero). The annual percent is
the mean of the term percents weighted by the school year's term weights. Both are rounded to 2 decimals, half
up, and the grading scale is applied to that rounded value.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from teacher.domain.errors import invalid
from teacher.domain.events import Where
from teacher.domain.reference import CENT, Term

HUNDRED = Decimal(100)
MAX_WEIGHT = Decimal(100)
MAX_NAME = 120


def parse_percent(value: object, field: str) -> Decimal:
    """A mark of 0–100 with at most two decimals."""
    try:
        percent = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise invalid(field, f"'{value}' is not a number", f"'{value}' тоо биш байна.", code="not_a_number") from None
    if not percent.is_finite() or not 0 <= percent <= HUNDRED:
        raise invalid(field, f"A mark is a percent from 0 to 100, not {value}",
                      f"Дүн 0-ээс 100 хүртэлх хувь байна ({value} биш).", code="percent_out_of_range")
    if percent != percent.quantize(CENT):
        raise invalid(field, "A mark has at most two decimals", "Дүн хамгийн ихдээ хоёр оронтой бутархай байна.",
                      code="too_many_decimals")
    return percent


def weighted_percent(pairs: Iterable[tuple[Decimal, Decimal]]) -> Decimal | None:
    """Weighted mean of (percent, weight) pairs, rounded to 2 decimals; None without any weight."""
    items = list(pairs)
    total = sum((weight for _, weight in items), Decimal(0))
    if total == 0:
        return None
    return (sum((p * w for p, w in items), Decimal(0)) / total).quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class Assessment:
    id: str
    where: Where
    subject_code: str
    school_year: str
    term: int
    name: str
    held_on: date
    weight: Decimal
    created_by: str

    @property
    def class_id(self) -> str:
        return self.where.class_id


def check_assessment(name: str, weight: object, held_on: date, term: Term) -> tuple[str, Decimal]:
    """The cleaned name and weight, or an error naming the field."""
    clean = " ".join(name.split())
    if not clean or len(clean) > MAX_NAME:
        raise invalid("name", f"Give the assessment a name of 1–{MAX_NAME} characters",
                      f"Үнэлгээний нэрийг 1–{MAX_NAME} тэмдэгтээр оруулна уу.", code="name_required")
    parsed = parse_percent(weight, "weight")
    if not 0 < parsed <= MAX_WEIGHT:
        raise invalid("weight", "The weight must be more than 0", "Жин 0-ээс их байна.", code="weight_out_of_range")
    if not term.covers(held_on):
        raise invalid("held_on", f"Term {term.number} runs {term.starts_on} – {term.ends_on}; {held_on} is outside it",
                      f"{term.number}-р улирал {term.starts_on} – {term.ends_on}; {held_on} өдөр үүнд хамаарахгүй.",
                      code="date_outside_term")
    return clean, parsed


@dataclass(frozen=True)
class Mark:
    assessment_id: str
    learner_id: str
    percent: Decimal
    recorded_by: str
    recorded_at: datetime


def term_percents(assessments: Sequence[Assessment], marks: Iterable[Mark],
                  learners: Iterable[str]) -> dict[str, Decimal | None]:
    """Each learner's weighted term percent (None when they have no mark yet)."""
    weights = {a.id: a.weight for a in assessments}
    by_learner: dict[str, list[tuple[Decimal, Decimal]]] = {learner: [] for learner in learners}
    for mark in marks:
        if mark.assessment_id in weights and mark.learner_id in by_learner:
            by_learner[mark.learner_id].append((mark.percent, weights[mark.assessment_id]))
    return {learner: weighted_percent(pairs) for learner, pairs in by_learner.items()}


def annual_percents(by_term: Mapping[int, Mapping[str, Decimal | None]], term_weights: Mapping[int, Decimal],
                    learners: Iterable[str]) -> dict[str, Decimal | None]:
    """Each learner's annual percent from the terms they have a percent for."""
    result: dict[str, Decimal | None] = {}
    for learner in learners:
        pairs = [(percents[learner], term_weights.get(term, Decimal(0))) for term, percents in sorted(by_term.items())
                 if percents.get(learner) is not None]
        result[learner] = weighted_percent((p, w) for p, w in pairs if p is not None)
    return result
