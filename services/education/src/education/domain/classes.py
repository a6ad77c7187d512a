"""Classes (бүлэг): a level, a letter, a shift, a room, a capacity and a class teacher, in one school year."""

from __future__ import annotations

import re
from dataclasses import dataclass

from education.domain import events
from education.domain.base import Aggregate
from education.domain.errors import Conflict, invalid
from education.domain.levels import Level, level

SHIFTS = (1, 2, 3)
MAX_CAPACITY = 60
_LETTER = re.compile(r"^[А-ЯЁӨҮ]$")


@dataclass(eq=False)
class SchoolClass(Aggregate):
    id: str
    school_id: str
    year_id: str
    level_code: str
    letter: str
    shift: int
    capacity: int
    room: str = ""
    class_teacher_id: str | None = None

    @classmethod
    def open(cls, *, id: str, school_id: str, year_id: str, level: Level, letter: str, shift: int, capacity: int,
             room: str = "", class_teacher_id: str | None = None) -> SchoolClass:
        letter = _check_letter(letter)
        _check_shift(shift)
        _check_capacity(capacity)
        opened = cls(id=id, school_id=school_id, year_id=year_id, level_code=level.code, letter=letter, shift=shift,
                     capacity=capacity, room=room.strip(), class_teacher_id=class_teacher_id or None)
        opened.record(events.ClassOpened(id, school_id, year_id, level.code, letter, shift, capacity))
        return opened

    @property
    def level(self) -> Level:
        return level(self.level_code)

    @property
    def name(self) -> str:
        lvl = self.level
        return f"{lvl.label_mn} {self.letter}" if lvl.is_kindergarten else f"{lvl.grade}{self.letter}"

    def change(self, *, room: str, capacity: int, class_teacher_id: str | None, enrolled: int) -> None:
        _check_capacity(capacity)
        if capacity < enrolled:
            raise invalid("capacity", "class_capacity_below_enrolled",
                          f"Багтаамж ({capacity}) одоо суралцаж буй {enrolled} суралцагчаас бага байж болохгүй.",
                          f"Capacity ({capacity}) cannot be below the {enrolled} learners enrolled now.")
        self.room, self.capacity, self.class_teacher_id = room.strip(), capacity, class_teacher_id or None
        self.record(events.ClassChanged(self.id, self.school_id, self.room, capacity, self.class_teacher_id))

    def take_seat(self, enrolled: int) -> None:
        """Check there is a free seat; touching the class makes two concurrent enrolments into it conflict."""
        if enrolled >= self.capacity:
            raise Conflict(f"{self.name} бүлэг дүүрсэн байна ({enrolled}/{self.capacity}).",
                           f"Class {self.name} is full ({enrolled}/{self.capacity}).", code="class_full",
                           details={"class_id": self.id, "capacity": self.capacity})
        self.touch()


def _check_letter(letter: str) -> str:
    value = letter.strip().upper()
    if not _LETTER.match(value):
        raise invalid("letter", "class_letter", "Бүлгийн үсэг нэг кирилл үсэг байна (А, Б, В …).",
                      "The class letter is one Cyrillic letter (А, Б, В …).", value=letter)
    return value


def _check_shift(shift: int) -> None:
    if shift not in SHIFTS:
        raise invalid("shift", "class_shift", "Ээлж 1, 2 эсвэл 3 байна.", "The shift is 1, 2 or 3.", value=shift)


def _check_capacity(capacity: int) -> None:
    if not 1 <= capacity <= MAX_CAPACITY:
        raise invalid("capacity", "class_capacity_range", f"Багтаамж 1–{MAX_CAPACITY} байна.",
                      f"Capacity must be 1–{MAX_CAPACITY}.", value=capacity)
