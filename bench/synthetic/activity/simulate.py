"""What schools send during the year: a day of attendance, a term of marks, transfers and withdrawals.

Each function yields request bodies (one per class submission or per movement) that a loader sends to the
owning service. A pupil's attendance propensity and ability come from their id, so they are stable across days.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from bench.synthetic.activity.source import SchoolClass
from bench.synthetic.allocate import pick_weighted, stream


def attendance_day(classes: Iterable[SchoolClass], day: date, rates: dict[str, Any],
                   seed: int) -> Iterator[dict[str, Any]]:
    """One submission per class: every pupil's status for the day."""
    cfg = rates["attendance"]
    for school_class in classes:
        rng = stream(seed, "attendance", day, school_class.id)
        factor = cfg["soum_absence_factor"] if school_class.place == "soum" else 1.0
        records = [{"learner_id": learner, "status": _status(rng, cfg, factor * _propensity(seed, learner, cfg))}
                   for learner in school_class.learner_ids]
        yield {"request": "attendance.submit", "class_id": school_class.id,
               "institution_id": school_class.institution_id, "date": day.isoformat(),
               "teacher_id": school_class.teacher_id, "records": records}


def _propensity(seed: int, learner_id: str, cfg: dict[str, Any]) -> float:
    return stream(seed, "propensity", learner_id).lognormvariate(0, cfg["propensity_sigma"])


def _status(rng: random.Random, cfg: dict[str, Any], absence_factor: float) -> str:
    shares = cfg["statuses"]
    absent = {status: share * absence_factor for status, share in shares.items() if status != "present"}
    present = max(0.0, 1.0 - sum(absent.values()))
    return pick_weighted(rng, {"present": present, **absent})


def term_marks(classes: Iterable[SchoolClass], term: int, days: list[date], rates: dict[str, Any],
               seed: int) -> Iterator[dict[str, Any]]:
    """Per class and subject: ``assessments_per_term`` progress submissions, then the term marks."""
    cfg = rates["marks"]
    count = cfg["assessments_per_term"]
    for school_class in classes:
        abilities = {learner: _ability(seed, learner, cfg) for learner in school_class.learner_ids}
        for subject, teacher in school_class.lessons:
            rng = stream(seed, "marks", term, school_class.id, subject)
            taken: dict[str, list[float]] = {learner: [] for learner in abilities}
            for number in range(1, count + 1):
                on = days[min(len(days) - 1, number * len(days) // (count + 1))]
                marks = [{"learner_id": learner, "percent": _mark(rng, ability, cfg, taken[learner])}
                         for learner, ability in abilities.items()]
                yield _marks(school_class, subject, teacher, term, f"progress-{number}", on, marks)
            final = [{"learner_id": learner, "percent": round(sum(v) / len(v), 1)} for learner, v in taken.items()]
            yield _marks(school_class, subject, teacher, term, "term", days[-1], final)


def _ability(seed: int, learner_id: str, cfg: dict[str, Any]) -> float:
    return stream(seed, "ability", learner_id).gauss(cfg["ability_mean"], cfg["ability_sd"])


def _mark(rng: random.Random, ability: float, cfg: dict[str, Any], taken: list[float]) -> float:
    value = round(min(100.0, max(0.0, rng.gauss(ability, cfg["mark_noise_sd"]))), 1)
    taken.append(value)
    return value


def _marks(school_class: SchoolClass, subject: str, teacher: str, term: int, assessment: str, on: date,
           marks: list[dict[str, Any]]) -> dict[str, Any]:
    return {"request": "marks.submit", "class_id": school_class.id, "subject_code": subject, "teacher_id": teacher,
            "term": term, "assessment": assessment, "date": on.isoformat(), "marks": marks}


def movements(classes: Iterable[SchoolClass], schools: dict[str, list[str]], days: list[date], year_days: int,
              rates: dict[str, Any], seed: int) -> Iterator[dict[str, Any]]:
    """Transfers (to a school in the same aimag, Ulaanbaatar or another aimag) and withdrawals, at yearly rates
    scaled to the term's share of school days."""
    cfg = rates["movements"]
    share = len(days) / year_days
    for school_class in classes:
        rng = stream(seed, "movements", days[0], school_class.id)
        for learner in school_class.learner_ids:
            draw = rng.random()
            if draw < cfg["transfer_rate"] * share:
                yield _transfer(rng, school_class, learner, schools, days, cfg)
            elif draw < (cfg["transfer_rate"] + cfg["withdrawal_rate"]) * share:
                yield {"request": "withdrawal", "learner_id": learner, "institution_id": school_class.institution_id,
                       "reason": pick_weighted(rng, cfg["withdrawal_reasons"]), "date": rng.choice(days).isoformat()}


def _transfer(rng: random.Random, school_class: SchoolClass, learner: str, schools: dict[str, list[str]],
              days: list[date], cfg: dict[str, Any]) -> dict[str, Any]:
    where = pick_weighted(rng, cfg["transfer_destination"])
    aimag = {"same_aimag": school_class.aimag_code, "ulaanbaatar": "11"}.get(where) or rng.choice(sorted(schools))
    options = [s for s in schools.get(aimag, ()) if s != school_class.institution_id] or [
        s for ids in schools.values() for s in ids if s != school_class.institution_id]
    return {"request": "transfer.request", "learner_id": learner, "from_institution_id": school_class.institution_id,
            "to_institution_id": rng.choice(options) if options else school_class.institution_id,
            "level": school_class.level, "reason": where, "date": rng.choice(days).isoformat()}
