"""Weekly timetables without conflicts: a teacher is never in two classes, a class never has two lessons, at once.

Greedy placement per school: each lesson goes to the earliest free period of a day that does not have that
subject yet (days rotate so subjects spread over the week); Saturday and an 8th period are used only if a lesson
fits nowhere else. Different shifts are different times of day, so a slot is (shift, day, period).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Grid:
    days: int
    periods: int
    overflow_days: int
    overflow_periods: int


@dataclass
class ClassWeek:
    class_id: str
    shift: int
    room: str
    lessons: list[tuple[str, str, int]]  # (subject code, teacher id, weekly hours)
    taken: set[tuple[int, int]] = field(default_factory=set)
    by_day: dict[int, set[str]] = field(default_factory=dict)


class SchoolTimetable:
    def __init__(self, grid: Grid) -> None:
        self.grid = grid
        self.teacher_busy: set[tuple[str, int, int, int]] = set()
        self.unplaced = 0

    def schedule(self, week: ClassWeek) -> Iterator[dict[str, object]]:
        """Rows of the class's timetable (day 1 = Monday, period from 1)."""
        sequence = [(subject, teacher) for subject, teacher, hours in week.lessons for _ in range(hours)]
        for index, (subject, teacher) in enumerate(sequence):
            slot = self._find(week, subject, teacher, index)
            if slot is None:
                self.unplaced += 1
                continue
            day, period = slot
            self._take(week, subject, teacher, day, period)
            yield {"class_id": week.class_id, "shift": week.shift, "day": day, "period": period,
                   "subject_code": subject, "teacher_id": teacher, "room": week.room}

    def _find(self, week: ClassWeek, subject: str, teacher: str, index: int) -> tuple[int, int] | None:
        grid = self.grid
        for days, periods, spread in ((grid.days, grid.periods, True), (grid.days, grid.periods, False),
                                      (grid.overflow_days, grid.overflow_periods, False)):
            for day in _rotated(days, index):
                if spread and subject in week.by_day.get(day, ()):
                    continue
                for period in range(1, periods + 1):
                    if (day, period) not in week.taken and (teacher, week.shift, day, period) not in self.teacher_busy:
                        return day, period
        return None

    def _take(self, week: ClassWeek, subject: str, teacher: str, day: int, period: int) -> None:
        week.taken.add((day, period))
        week.by_day.setdefault(day, set()).add(subject)
        self.teacher_busy.add((teacher, week.shift, day, period))


def _rotated(days: int, start: int) -> list[int]:
    first = start % days
    return [(first + i) % days + 1 for i in range(days)]
