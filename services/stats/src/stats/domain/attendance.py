"""Attendance rate, chronic absence (≥ 10 % of marked days missed, a rule parameter) and unmarked class days."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from stats.domain.lineage import Figure, Lineage, figure

PRESENT = frozenset({"present", "late"})
ABSENT = frozenset({"absent", "excused", "sick"})  # an excused day is still a day of school missed


@dataclass(frozen=True)
class Mark:
    learner_id: str
    day: date
    status: str


@dataclass(frozen=True)
class LearnerAttendance:
    learner_id: str
    marked_days: int
    missed_days: int

    @property
    def missed_share(self) -> Fraction:
        return Fraction(self.missed_days, self.marked_days) if self.marked_days else Fraction(0)


def per_learner(marks: Iterable[Mark]) -> list[LearnerAttendance]:
    """Marked and missed days per learner; one mark per learner and day (the latest correction wins upstream)."""
    days: dict[str, dict[date, str]] = {}
    for mark in marks:
        days.setdefault(mark.learner_id, {})[mark.day] = mark.status
    return [LearnerAttendance(lid, len(d), sum(1 for s in d.values() if s in ABSENT))
            for lid, d in sorted(days.items())]


def attendance_rate(learners: Iterable[LearnerAttendance], lineage: Lineage) -> Figure:
    learners = list(learners)
    marked = sum(a.marked_days for a in learners)
    return figure("attendance_rate", marked - sum(a.missed_days for a in learners), marked, lineage)


def chronic_absence(learners: Iterable[LearnerAttendance], share: float, lineage: Lineage) -> Figure:
    """Share of learners who missed at least ``share`` of their marked days."""
    learners = [a for a in learners if a.marked_days]
    threshold = Fraction(str(share))
    chronic = sum(1 for a in learners if a.missed_share >= threshold)
    return figure("chronic_absence_rate", chronic, len(learners), lineage, threshold=str(share))


def unmarked_class_days(expected: set[tuple[str, date]], marked: set[tuple[str, date]],
                        lineage: Lineage) -> Figure:
    """Share of (class, school day) pairs on which nobody entered attendance."""
    return figure("unmarked_class_days_rate", len(expected - marked), len(expected), lineage)
