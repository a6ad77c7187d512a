"""Read models kept from other services' events: classes and enrolments (education), assignments (hr).

The teacher portal never reads those services' databases; it keeps what it needs here, effective-dated, so
"was this learner in 6A on 12 October" is answered locally.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass
class ClassInfo:
    class_id: str
    school_id: str
    level: str  # "1".."12" or a kindergarten group code (baga, dund, akhlakh, beltgel)
    school_year: str  # "2026-2027"
    aimag: str | None = None
    label: str = ""  # "6А": grade and letter, for pages

    @property
    def is_kindergarten(self) -> bool:
        return not self.level.isdigit()

    @property
    def name(self) -> str:
        return self.label or self.class_id


@dataclass(frozen=True)
class Enrolment:
    learner_id: str
    class_id: str
    starts_on: date
    ends_on: date | None = None  # the last day in the class; None while enrolled

    def active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day <= self.ends_on)


@dataclass(frozen=True)
class Assignment:
    assignment_id: str
    staff_id: str
    class_id: str
    org_id: str
    subject_code: str
    school_year: str
    starts_on: date
    last_day: date | None = None

    def active_on(self, day: date) -> bool:
        return self.starts_on <= day and (self.last_day is None or day <= self.last_day)


@dataclass
class ClassRoster:
    """One class with its enrolments and teaching assignments, as rules need it."""

    info: ClassInfo
    enrolments: list[Enrolment] = field(default_factory=list)
    assignments: list[Assignment] = field(default_factory=list)

    @property
    def class_id(self) -> str:
        return self.info.class_id

    def learners_on(self, day: date) -> list[str]:
        return sorted({e.learner_id for e in self.enrolments if e.active_on(day)})

    def learners_in(self, first: date, last: date) -> list[str]:
        """Everyone enrolled on any day of the period (a term's grade sheet lists them all)."""
        return sorted({e.learner_id for e in self.enrolments
                       if e.starts_on <= last and (e.ends_on is None or e.ends_on >= first)})

    def is_enrolled(self, learner_id: str, day: date) -> bool:
        return any(e.learner_id == learner_id and e.active_on(day) for e in self.enrolments)

    def subjects_on(self, day: date) -> list[str]:
        return sorted({a.subject_code for a in self.assignments if a.active_on(day)})

    def subjects_in_year(self) -> list[str]:
        return sorted({a.subject_code for a in self.assignments})

    def taught_on(self, day: date) -> bool:
        return any(a.active_on(day) for a in self.assignments)
