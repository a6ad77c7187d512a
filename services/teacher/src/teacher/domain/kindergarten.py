"""Kindergarten: growth measurements (height, weight) and development observations per child.

Values outside the plausible range for children aged 2–6 are refused as typing errors; a big change from the
child's previous measurement (height going down, weight jumping) is refused unless the teacher confirms it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from teacher.domain import events
from teacher.domain.errors import Conflict, Refused, invalid
from teacher.domain.journal import clean_text
from teacher.domain.reference import GrowthRules

TENTH = Decimal("0.1")
MAX_NOTE = 1000


def parse_measure(value: object, field: str, limits: tuple[Decimal, Decimal], unit: str) -> Decimal:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise invalid(field, f"'{value}' is not a number", f"'{value}' тоо биш байна.", code="not_a_number") from None
    low, high = limits
    if not number.is_finite() or not low <= number <= high:
        raise invalid(field, f"{number} {unit} is not plausible for a child aged 2–6 ({low}–{high} {unit})",
                      f"{number} {unit} нь 2–6 настай хүүхдэд боломжгүй утга ({low}–{high} {unit}).",
                      code="implausible_value")
    return number.quantize(TENTH)


@dataclass(eq=False)
class GrowthMeasurement:
    id: str
    learner_id: str
    where: events.Where
    measured_on: date
    height_cm: Decimal
    weight_kg: Decimal
    measured_by: str
    recorded_at: datetime
    events: list[events.Event] = field(default_factory=list, repr=False)

    @classmethod
    def record(cls, *, measurement_id: str, learner_id: str, where: events.Where, measured_on: date,
               height_cm: object, weight_kg: object, previous: GrowthMeasurement | None, rules: GrowthRules,
               confirmed: bool, by: str, at: datetime) -> GrowthMeasurement:
        height = parse_measure(height_cm, "height_cm", rules.height_cm, "cm")
        weight = parse_measure(weight_kg, "weight_kg", rules.weight_kg, "kg")
        if previous is not None:
            _check_change(previous, measured_on, height, weight, rules, confirmed)
        measurement = cls(measurement_id, learner_id, where, measured_on, height, weight, by, at)
        measurement.events.append(events.GrowthMeasured(at, measurement_id, learner_id, where, measured_on,
                                                        height, weight))
        return measurement


def _check_change(previous: GrowthMeasurement, day: date, height: Decimal, weight: Decimal, rules: GrowthRules,
                  confirmed: bool) -> None:
    if previous.measured_on == day:
        raise Conflict(f"This child was already measured on {day}", f"Энэ хүүхдийг {day}-нд хэмжсэн байна.",
                       code="already_measured", measurement_id=previous.id)
    if confirmed:
        return
    if previous.height_cm - height > rules.height_drop_cm:
        raise _needs_confirmation("height_cm", f"Height went down from {previous.height_cm} to {height} cm",
                                  f"Өндөр {previous.height_cm}-с {height} см болж буурсан байна", previous)
    change = abs(weight - previous.weight_kg) / previous.weight_kg * 100
    if change > rules.weight_change_percent:
        raise _needs_confirmation("weight_kg", f"Weight changed from {previous.weight_kg} to {weight} kg",
                                  f"Жин {previous.weight_kg}-с {weight} кг болж өөрчлөгдсөн байна", previous)


def _needs_confirmation(field: str, what: str, what_mn: str, previous: GrowthMeasurement) -> Refused:
    return Refused(f"{what} since {previous.measured_on}: check the value and confirm it if it is right",
                   f"{what_mn} ({previous.measured_on}-с хойш): утгаа шалгаад зөв бол баталгаажуулна уу.",
                   code="needs_confirmation", fields=[{"field": field, "message": what, "message_mn": what_mn}],
                   previous={"measured_on": previous.measured_on.isoformat(), "height_cm": str(previous.height_cm),
                             "weight_kg": str(previous.weight_kg)})


@dataclass(eq=False)
class DevelopmentObservation:
    id: str
    learner_id: str
    where: events.Where
    observed_on: date
    domain: str
    level: str
    note: str
    observed_by: str
    recorded_at: datetime
    events: list[events.Event] = field(default_factory=list, repr=False)

    @classmethod
    def record(cls, *, observation_id: str, learner_id: str, where: events.Where, observed_on: date, domain: str,
               level: str, note: str, by: str, at: datetime) -> DevelopmentObservation:
        observation = cls(observation_id, learner_id, where, observed_on, domain, level,
                          clean_text(note, "note", MAX_NOTE, required=False), by, at)
        observation.events.append(events.DevelopmentObserved(at, observation_id, learner_id, where, observed_on,
                                                             domain, level, observation.note))
        return observation
