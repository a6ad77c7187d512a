"""Class levels: school grades 1–12 and kindergarten groups (бага, дунд, ахлах, бэлтгэл)."""

from __future__ import annotations

from dataclasses import dataclass

from education.domain.errors import invalid


@dataclass(frozen=True)
class Level:
    code: str
    label_mn: str
    label_en: str
    entry_age: int  # age reached during the calendar year in which a child normally starts this level
    grade: int | None = None

    @property
    def is_kindergarten(self) -> bool:
        return self.grade is None

    def __str__(self) -> str:
        return self.code


# Kindergarten ages are ⚠️ (one secondary source): kept here as data, not scattered in rules.
KINDERGARTEN_GROUPS = (
    Level("baga", "бага", "junior group", 2),
    Level("dund", "дунд", "middle group", 3),
    Level("akhlakh", "ахлах", "senior group", 4),
    Level("beltgel", "бэлтгэл", "preparatory group", 5),
)
GRADES = tuple(Level(str(g), f"{g}-р анги", f"grade {g}", 5 + g, grade=g) for g in range(1, 13))
LEVELS = {lvl.code: lvl for lvl in (*GRADES, *KINDERGARTEN_GROUPS)}
_BY_LABEL = {lvl.label_mn: lvl for lvl in KINDERGARTEN_GROUPS}


def level(code: str | int, field: str = "level") -> Level:
    """Parse a grade number or a kindergarten group (code or Mongolian name)."""
    key = str(code).strip().lower()
    found = LEVELS.get(key) or _BY_LABEL.get(key)
    if found is None:
        raise invalid(field, "level_unknown", f"'{code}' анги/бүлгийн түвшин биш: 1–12 эсвэл бага, дунд, ахлах, "
                      "бэлтгэл байна.", f"'{code}' is not a level: use 1–12 or a kindergarten group "
                      "(baga, dund, akhlakh, beltgel).", value=str(code))
    return found
