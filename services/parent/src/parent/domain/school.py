"""What the portal shows about a child: read models kept from education and teacher events.

They are copies, built by the consumers; the owning services stay the source of truth.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

KINDERGARTEN_LEVELS = frozenset({"baga", "dund", "akhlakh", "beltgel"})


@dataclass
class Child:
    learner_id: str
    given_name: str = ""
    family_name: str = ""
    birth_date: date | None = None
    sex: str = ""  # "male" | "female" | ""
    school_id: str = ""
    class_id: str = ""
    level: str = ""
    status: str = "enrolled"

    @property
    def is_kindergarten(self) -> bool:
        return self.level in KINDERGARTEN_LEVELS

    @property
    def display_name(self) -> str:
        initial = f"{self.family_name[:1]}." if self.family_name else ""
        return f"{initial}{self.given_name}" or self.learner_id


@dataclass(frozen=True)
class AttendanceEntry:
    learner_id: str
    day: date
    lesson: int  # 0: the whole day
    code: str  # present | late | excused | unexcused | sick | ...
    category: str  # present | excused_absence | unexcused_absence
    subject_code: str = ""

    @property
    def is_absence(self) -> bool:
        return self.category != "present"

    @property
    def is_late(self) -> bool:
        return self.code == "late"


@dataclass(frozen=True)
class Mark:
    assessment_id: str
    learner_id: str
    subject_code: str
    school_year: str
    term: int
    name: str
    held_on: date
    percent: Decimal
    weight: Decimal = Decimal(1)


@dataclass(frozen=True)
class Grade:
    """An approved term grade, or the annual grade (``term`` 0)."""

    learner_id: str
    subject_code: str
    school_year: str
    term: int
    percent: Decimal
    scale: str
    band: str

    @property
    def is_annual(self) -> bool:
        return self.term == 0


@dataclass(frozen=True)
class Homework:
    homework_id: str
    class_id: str
    subject_code: str
    assigned_on: date
    due_on: date
    text: str


@dataclass(frozen=True)
class Lesson:
    weekday: int  # 1 = Monday
    period: int
    subject_code: str
    room: str = ""


@dataclass
class ClassInfo:
    class_id: str
    school_id: str = ""
    year_id: str = ""
    level: str = ""
    letter: str = ""
    shift: int = 1
    room: str = ""
    class_teacher_id: str = ""

    @property
    def name(self) -> str:
        return f"{self.level}{self.letter}"


@dataclass
class SchoolInfo:
    school_id: str
    name: str = ""
    code: str = ""
    kind: str = "school"  # school | kindergarten
    aimag_code: str = ""


@dataclass(frozen=True)
class StaffContact:
    staff_id: str
    name: str
    phone: str = ""
    email: str = ""
    account_id: str = ""
    subject_codes: tuple[str, ...] = ()


@dataclass(frozen=True)
class DevelopmentNote:
    observation_id: str
    learner_id: str
    observed_on: date
    domain: str
    level: str
    note: str
