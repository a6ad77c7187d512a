from __future__ import annotations

from datetime import date

from parent.domain.attendance import day_status, month_calendar
from parent.domain.school import AttendanceEntry


def entry(day: int, code: str, category: str = "present", lesson: int = 0) -> AttendanceEntry:
    return AttendanceEntry("lrn-bat", date(2026, 11, day), lesson, code, category)


def test_a_day_shows_its_worst_lesson() -> None:
    assert day_status([entry(3, "present", lesson=1), entry(3, "late", lesson=2)]) == "late"
    assert day_status([entry(3, "late", lesson=1), entry(3, "unexcused", "unexcused_absence", 2)]) == "unexcused"
    assert day_status([]) is None


def test_an_unknown_code_counts_by_its_category() -> None:
    assert day_status([entry(3, "quarantine", "excused_absence")]) == "excused"


def test_the_month_calendar_starts_on_monday_with_totals() -> None:
    cal = month_calendar([entry(2, "present"), entry(3, "late"), entry(4, "sick", "excused_absence"),
                          entry(30, "unexcused", "unexcused_absence"), AttendanceEntry(
                              "lrn-bat", date(2026, 12, 1), 0, "unexcused", "unexcused_absence")], 2026, 11)

    assert cal.weeks[0][:6] == [None] * 6  # 1 November 2026 is a Sunday
    assert cal.weeks[0][6].day == date(2026, 11, 1) and cal.weeks[0][6].status is None
    assert cal.weeks[1][0].status == "present" and cal.weeks[1][1].status == "late"
    assert cal.weeks[-1][0].day == date(2026, 11, 30) and cal.weeks[-1][0].status == "unexcused"
    assert dict(cal.totals) == {"present": 1, "late": 1, "sick": 1, "unexcused": 1}
