"""Synthetic register numbers: valid by the rules, never a real person's.

A real register number starts with the letters of the place of first registration; its first letter is an aimag
or Ulaanbaatar letter (admin_units.csv). Synthetic numbers start with **Ъ** (the hard sign), which no Mongolian
word and no registration place begins with, so a synthetic number is recognisable at a glance and can never be
someone's. The second letter is the person's aimag letter; the 8 digits follow the rules (birth date YYMMDD with
month + 20 for births from 2000, 9th digit odd for male / even for female, 10th any digit).

Uniqueness: per (birth date, sex, aimag letter) there are 5 sex digits x 10 last digits = 50 numbers. Beyond 50,
numbers overflow into the 13 letters no aimag uses, counted nationally (650 more per birth date and sex).
"""

from __future__ import annotations

from datetime import date

from esis_shared.national_id import Sex

SYNTHETIC_LETTER = "Ъ"
ALL_LETTERS = "АБВГДЕЁЖЗИЙКЛМНОӨПРСТУҮФХЦЧШЩЪЫЬЭЮЯ"
PER_LETTER = 50


def is_synthetic(register_number: str) -> bool:
    return register_number.startswith(SYNTHETIC_LETTER)


class RegisterNumbers:
    """Hands out unique synthetic numbers; per-aimag counters can be dropped once that aimag is generated."""

    def __init__(self, aimag_letters: set[str]) -> None:
        self._overflow_letters = "".join(c for c in ALL_LETTERS if c not in aimag_letters)
        self._local: dict[tuple[date, Sex, str], int] = {}
        self._overflow: dict[tuple[date, Sex], int] = {}

    def issue(self, born: date, sex: Sex, aimag_letter: str) -> str:
        key = (born, sex, aimag_letter)
        count = self._local.get(key, 0)
        self._local[key] = count + 1
        if count < PER_LETTER:
            return _number(aimag_letter, born, sex, count)
        return self._issue_overflow(born, sex)

    def forget_local(self) -> None:
        """Drop the per-aimag counters (call after an aimag is done; its letter is not used again)."""
        self._local.clear()

    def _issue_overflow(self, born: date, sex: Sex) -> str:
        count = self._overflow.get((born, sex), 0)
        self._overflow[(born, sex)] = count + 1
        block, index = divmod(count, PER_LETTER)
        if block >= len(self._overflow_letters):
            raise OverflowError(f"more than {PER_LETTER * (len(self._overflow_letters) + 1)} synthetic people "
                                f"born on {born} of one sex in one aimag")
        return _number(self._overflow_letters[block], born, sex, index)


def _number(letter: str, born: date, sex: Sex, index: int) -> str:
    month = born.month + (20 if born.year >= 2000 else 0)
    sex_digit = 2 * (index // 10) + (1 if sex is Sex.MALE else 0)
    last = (index % 10 + born.day) % 10  # a bijection of index % 10: keeps the 50 numbers distinct
    return f"{SYNTHETIC_LETTER}{letter}{born.year % 100:02d}{month:02d}{born.day:02d}{sex_digit}{last}"
