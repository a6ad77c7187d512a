"""Which days the demo classes (grade 5) have school, by the teacher service's reference calendar."""

from __future__ import annotations

from datetime import date, timedelta

DEMO_LEVEL = "5"  # 5А and 5Б decide: a grade with an earlier last day would differ in June


def non_school_reason(day: date, level: str = DEMO_LEVEL) -> str | None:
    """Why ``day`` is not a school day (a weekend, a holiday, a break, outside every school year), or None."""
    from teacher.reference import load_calendar

    year = load_calendar().year_of(day)
    if year is None:
        return "it is outside every school year in the calendar"
    reason = year.non_school_reason(day, level)
    return reason[0] if reason else None


def latest_school_day(on_or_before: date, level: str = DEMO_LEVEL, search_days: int = 400) -> date | None:
    """The most recent school day not after ``on_or_before``; None when the calendar has none that close."""
    for back in range(search_days):
        day = on_or_before - timedelta(days=back)
        if non_school_reason(day, level) is None:
            return day
    return None
