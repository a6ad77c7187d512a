"""People: names, birth dates by level, sex, synthetic register numbers."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from esis_shared.national_id import Sex

from bench.synthetic.allocate import new_id
from bench.synthetic.reference import GRADE_ENTRY_AGE, KINDERGARTEN_AGE, Reference
from bench.synthetic.register import RegisterNumbers


@dataclass(frozen=True)
class Person:
    id: str
    register_number: str
    family_name: str
    given_name: str
    birth_date: date
    sex: Sex

    def row(self) -> dict[str, object]:
        return {"id": self.id, "register_number": self.register_number, "family_name": self.family_name,
                "given_name": self.given_name, "birth_date": self.birth_date.isoformat(), "sex": self.sex.value}


class People:
    """Makes people for one region; every register number comes from the shared ``RegisterNumbers``."""

    def __init__(self, ref: Reference, numbers: RegisterNumbers, rng: random.Random, letter: str) -> None:
        self.ref = ref
        self.numbers = numbers
        self.rng = rng
        self.letter = letter

    def given_name(self, sex: Sex) -> str:
        return self.rng.choice(self.ref.male_names if sex is Sex.MALE else self.ref.female_names)

    def person(self, sex: Sex, born: date, family_name: str | None = None) -> Person:
        family = family_name or self.given_name(Sex.MALE)
        return Person(new_id(self.rng), self.numbers.issue(born, sex, self.letter), family, self.given_name(sex),
                      born, sex)

    def sex_for(self, male_share: float) -> Sex:
        return Sex.MALE if self.rng.random() < male_share else Sex.FEMALE

    def date_in_year(self, year: int) -> date:
        start = date(year, 1, 1)
        return start + timedelta(days=self.rng.randrange((date(year + 1, 1, 1) - start).days))

    def birth_year(self, level: str) -> int:
        """Birth year of a child in ``level`` this school year, with late entrants / repeaters and early ones."""
        age = KINDERGARTEN_AGE[level] if level in KINDERGARTEN_AGE else GRADE_ENTRY_AGE + int(level) - 1
        shares = self.ref.shaping["age_offset_shares"]
        draw = self.rng.random()
        offset = 0 if draw < shares["on_time"] else (1 if draw < shares["on_time"] + shares["one_year_older"] else -1)
        if level in KINDERGARTEN_AGE:
            offset = 0  # kindergarten groups are by age
        return self.ref.school_year - age - offset

    def adult_birth(self, low_age: int, high_age: int) -> date:
        return self.date_in_year(self.ref.school_year - self.rng.randint(low_age, high_age))


def male_share(ref: Reference, level: str) -> float:
    shares = ref.shaping["male_share"]
    if level in KINDERGARTEN_AGE:
        return shares["kindergarten"]
    grade = int(level)
    return shares["primary"] if grade <= 5 else shares["basic"] if grade <= 9 else shares["upper"]
