"""A child's attendance as a parent reads it: today's status and a month calendar with totals."""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from parent.domain.school import AttendanceEntry

# Worst first: a day shows its worst lesson.
SEVERITY = ("unexcused", "sick", "excused", "late", "present")


def day_status(entries: Iterable[AttendanceEntry]) -> str | None:
    """``None`` when nothing was marked that day; else the worst code of the day (unknown codes by category)."""
    codes = [_normalise(e) for e in entries]
    if not codes:
        return None
    return min(codes, key=SEVERITY.index)


def _normalise(entry: AttendanceEntry) -> str:
    if entry.code in SEVERITY:
        return entry.code
    return {"excused_absence": "excused", "unexcused_absence": "unexcused"}.get(entry.category, "present")


@dataclass(frozen=True)
class CalendarDay:
    day: date
    status: str | None  # None: not marked (weekend, holiday, or not yet)


@dataclass
class MonthCalendar:
    year: int
    month: int
    weeks: list[list[CalendarDay | None]]  # Monday-first; None pads days of other months
    totals: Counter[str] = field(default_factory=Counter)


def month_calendar(entries: Iterable[AttendanceEntry], year: int, month: int) -> MonthCalendar:
    by_day: dict[date, list[AttendanceEntry]] = {}
    for entry in entries:
        if (entry.day.year, entry.day.month) == (year, month):
            by_day.setdefault(entry.day, []).append(entry)
    statuses = {day: day_status(found) for day, found in by_day.items()}
    weeks = [[CalendarDay(d, statuses.get(d)) if d.month == month else None for d in week]
             for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)]
    return MonthCalendar(year, month, weeks, Counter(s for s in statuses.values() if s))
