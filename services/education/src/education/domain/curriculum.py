"""Subjects with a kind and weekly hours per level, per school year (the curriculum)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from education.domain import events
from education.domain.base import Aggregate
from education.domain.errors import invalid, parse_enum
from education.domain.levels import Level

MAX_WEEKLY_HOURS = 12


class SubjectKind(StrEnum):
    COMPULSORY = "compulsory"    # заавал
    ELECTIVE = "elective"        # сонгон
    SPECIALISED = "specialised"  # төрөлжсөн


@dataclass
class WeeklyHours:
    year_id: str
    level: str
    hours: int


@dataclass(eq=False)
class Subject(Aggregate):
    id: str
    code: str
    name_mn: str
    kind: SubjectKind
    name_en: str = ""
    hours: list[WeeklyHours] = field(default_factory=list)

    @classmethod
    def define(cls, *, id: str, code: str, name_mn: str, kind: SubjectKind, name_en: str = "") -> Subject:
        if not code.strip():
            raise invalid("code", "subject_code_required", "Хичээлийн код хоосон байна.", "Subject code is empty.")
        kind = parse_enum(SubjectKind, kind, "kind")
        subject = cls(id=id, code=code.strip(), name_mn=name_mn.strip(), kind=kind, name_en=name_en.strip())
        subject.record(events.SubjectDefined(id, subject.code, kind.value))
        return subject

    def set_weekly_hours(self, year_id: str, level: Level, hours: int) -> None:
        if not 0 <= hours <= MAX_WEEKLY_HOURS:
            raise invalid("hours", "subject_hours_range", f"7 хоногийн цаг 0–{MAX_WEEKLY_HOURS} байна.",
                          f"Weekly hours must be 0–{MAX_WEEKLY_HOURS}.", value=hours)
        self.hours = [h for h in self.hours if (h.year_id, h.level) != (year_id, level.code)]
        self.hours.append(WeeklyHours(year_id, level.code, hours))
        self.record(events.WeeklyHoursSet(self.id, year_id, level.code, hours))

    def weekly_hours(self, year_id: str, level: Level) -> int:
        """Hours in the curriculum; 0 means the subject is not taught at that level that year."""
        return next((h.hours for h in self.hours if (h.year_id, h.level) == (year_id, level.code)), 0)
