"""Mongolian register numbers (регистрийн дугаар): parse, validate and check against recorded facts.

Layout: two Cyrillic letters (place of first registration) + 8 digits. The first 6 digits (characters 3–8) are
the birth date YYMMDD, where births from 2000 store the month + 20; character 9 is the sex (odd male, even
female); character 10 is a check digit whose algorithm is not published, so it is never used to reject a number.

Every problem names the part that is wrong (``part``), has a stable ``code`` and a Mongolian and an English
message. A register number is personal data: ``repr`` masks it so it cannot leak into logs by accident.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

# [0-9], not \d: \d would also accept non-ASCII digits.
PATTERN = re.compile(r"^[А-ЯЁӨҮ]{2}[0-9]{8}$")
_LOOSE = re.compile(r"^(?P<letters>\S{2})(?P<digits>[0-9]{8})$")
_MILLENNIUM_MONTH_OFFSET = 20
# Latin letters that look like Cyrillic ones; a user who types them means the Cyrillic letter.
_LATIN_LOOKALIKES = str.maketrans("ABCEHKMOPTXY", "АВСЕНКМОРТХУ")
_MONTHS_EN = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"

    @property
    def name_mn(self) -> str:
        return "эрэгтэй" if self is Sex.MALE else "эмэгтэй"


class Part(StrEnum):
    """Which part of the register number a problem is about."""

    WHOLE = "whole"            # length / shape
    LETTERS = "letters"          # characters 1–2
    BIRTH_YEAR = "birth_year"    # characters 3–4 (the century is in the month)
    BIRTH_MONTH = "birth_month"  # characters 5–6
    BIRTH_DAY = "birth_day"      # characters 7–8
    SEX_DIGIT = "sex_digit"      # character 9


@dataclass(frozen=True)
class Problem:
    code: str
    part: Part
    message_mn: str
    message_en: str
    details: dict[str, str] = field(default_factory=dict)

    def message(self, lang: str = "mn") -> str:
        return self.message_en if lang == "en" else self.message_mn

    def as_field_error(self, field_name: str = "register_number", lang: str = "mn") -> dict[str, str]:
        return {"field": field_name, "code": self.code, "part": self.part.value, "message": self.message(lang)}


class InvalidRegisterNumber(ValueError):
    """Raised with every problem found; ``problems[0]`` is the most basic one."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(p.message_en for p in problems))
        self.problems = problems

    @property
    def code(self) -> str:
        return self.problems[0].code

    def field_errors(self, field_name: str = "register_number", lang: str = "mn") -> list[dict[str, str]]:
        return [p.as_field_error(field_name, lang) for p in self.problems]


@dataclass(frozen=True)
class RegisterNumber:
    value: str
    birth_date: date
    sex: Sex

    @property
    def letters(self) -> str:
        return self.value[:2]

    @property
    def check_digit(self) -> int:
        return int(self.value[9])

    def masked(self) -> str:
        return f"{self.value[:2]}******{self.value[8:]}"

    def __repr__(self) -> str:
        return f"RegisterNumber({self.masked()})"

    def __str__(self) -> str:
        return self.value


def normalize(raw: str) -> str:
    """Trim and upper-case (Cyrillic lower case is a typing habit, not an error)."""
    return raw.strip().upper()


def parse(raw: str, *, today: date | None = None) -> RegisterNumber:
    """Parse a register number or raise ``InvalidRegisterNumber`` naming the wrong part."""
    value = normalize(raw)
    _check_shape(value)
    born = _birth_date(value[2:8])
    if born > (today or date.today()):
        raise InvalidRegisterNumber([_future_birth(born)])
    return RegisterNumber(value=value, birth_date=born, sex=sex_from_digit(int(value[8])))


def validate(raw: str, *, birth_date: date | None = None, sex: Sex | str | None = None,
             today: date | None = None) -> RegisterNumber:
    """Parse and check consistency with a recorded birth date and sex; reports every mismatch at once."""
    number = parse(raw, today=today)
    problems = consistency_problems(number, birth_date=birth_date, sex=Sex(sex) if sex else None)
    if problems:
        raise InvalidRegisterNumber(problems)
    return number


def problems_of(raw: str, *, birth_date: date | None = None, sex: Sex | str | None = None,
                today: date | None = None) -> list[Problem]:
    """The problems ``validate`` would raise, as a list (empty when the number is fine)."""
    try:
        validate(raw, birth_date=birth_date, sex=sex, today=today)
    except InvalidRegisterNumber as exc:
        return exc.problems
    return []


def consistency_problems(number: RegisterNumber, *, birth_date: date | None, sex: Sex | None) -> list[Problem]:
    problems = []
    if birth_date is not None and birth_date != number.birth_date:
        problems.append(_birth_mismatch(number.birth_date, birth_date))
    if sex is not None and sex != number.sex:
        problems.append(_sex_mismatch(int(number.value[8]), number.sex, sex))
    return problems


def sex_from_digit(digit: int) -> Sex:
    return Sex.MALE if digit % 2 else Sex.FEMALE


def decode_birth_date(digits: str) -> date:
    """YYMMDD with the +20 month rule for births from 2000."""
    return _birth_date(digits)


def _check_shape(value: str) -> None:
    if PATTERN.fullmatch(value):
        return
    loose = _LOOSE.fullmatch(value)
    if loose is None:
        raise InvalidRegisterNumber([_bad_shape(len(value))])
    letters = loose.group("letters")
    if letters.translate(_LATIN_LOOKALIKES) != letters and PATTERN.fullmatch(
            letters.translate(_LATIN_LOOKALIKES) + loose.group("digits")):
        raise InvalidRegisterNumber([_latin_letters(letters, letters.translate(_LATIN_LOOKALIKES))])
    raise InvalidRegisterNumber([_bad_letters(letters)])


def _birth_date(digits: str) -> date:
    yy, mm, dd = int(digits[0:2]), int(digits[2:4]), int(digits[4:6])
    if 1 <= mm <= 12:
        year, month = 1900 + yy, mm
    elif 1 + _MILLENNIUM_MONTH_OFFSET <= mm <= 12 + _MILLENNIUM_MONTH_OFFSET:
        year, month = 2000 + yy, mm - _MILLENNIUM_MONTH_OFFSET
    else:
        raise InvalidRegisterNumber([_bad_month(digits[2:4])])
    try:
        return date(year, month, dd)
    except ValueError:
        raise InvalidRegisterNumber([_bad_day(digits[4:6], year, month)]) from None


def _bad_shape(length: int) -> Problem:
    return Problem(
        "register_number_format", Part.WHOLE,
        "Регистрийн дугаар 2 кирилл үсэг, 8 цифрээс бүрдэнэ (жишээ нь: УБ99010112).",
        "A register number is 2 Cyrillic letters followed by 8 digits (e.g. УБ99010112).",
        {"length": str(length)})


def _latin_letters(letters: str, cyrillic: str) -> Problem:
    return Problem(
        "register_number_latin_letters", Part.LETTERS,
        f"Регистрийн дугаарын үсэг ({letters}) латинаар бичигдсэн байна; кириллээр ({cyrillic}) бичнэ үү.",
        f"The letters of the register number ({letters}) are Latin; type them in Cyrillic ({cyrillic}).",
        {"suggestion": cyrillic})


def _bad_letters(letters: str) -> Problem:
    return Problem(
        "register_number_letters", Part.LETTERS,
        f"Регистрийн дугаарын эхний 2 тэмдэгт ({letters}) кирилл том үсэг байх ёстой.",
        f"The first 2 characters of the register number ({letters}) must be Cyrillic letters.")


def _bad_month(mm: str) -> Problem:
    return Problem(
        "register_number_birth_month", Part.BIRTH_MONTH,
        f"Регистрийн дугаарын 5–6 дахь тэмдэгт (төрсөн сар) {mm} байна: 2000 оноос өмнө төрсөн бол 01–12, "
        "2000 оноос хойш төрсөн бол 21–32 байх ёстой.",
        f"Characters 5–6 of the register number (birth month) are {mm}: expected 01–12 for births before 2000 "
        "or 21–32 for births from 2000.",
        {"digits": mm})


def _bad_day(dd: str, year: int, month: int) -> Problem:
    return Problem(
        "register_number_birth_day", Part.BIRTH_DAY,
        f"Регистрийн дугаарын 7–8 дахь тэмдэгт (төрсөн өдөр) {dd} байна: {year} оны {month}-р сард ийм өдөр байхгүй.",
        f"Characters 7–8 of the register number (birth day) are {dd}: {_MONTHS_EN[month - 1]} {year} has no such day.",
        {"digits": dd})


def _future_birth(born: date) -> Problem:
    return Problem(
        "register_number_birth_in_future", Part.BIRTH_YEAR,
        f"Регистрийн дугаараас гарах төрсөн огноо ({born.isoformat()}) ирээдүйд байна.",
        f"The birth date in the register number ({born.isoformat()}) is in the future.",
        {"birth_date": born.isoformat()})


def _birth_mismatch(in_number: date, recorded: date) -> Problem:
    return Problem(
        "register_number_birth_date_mismatch", _first_differing_part(in_number, recorded),
        f"Регистрийн дугаар дахь төрсөн огноо ({in_number.isoformat()}) бүртгэсэн төрсөн огноотой "
        f"({recorded.isoformat()}) таарахгүй байна.",
        f"The birth date in the register number ({in_number.isoformat()}) does not match the recorded birth date "
        f"({recorded.isoformat()}).",
        {"in_number": in_number.isoformat(), "recorded": recorded.isoformat()})


def _sex_mismatch(digit: int, in_number: Sex, recorded: Sex) -> Problem:
    return Problem(
        "register_number_sex_mismatch", Part.SEX_DIGIT,
        f"Регистрийн дугаарын 9 дэх тэмдэгт ({digit}) {in_number.name_mn} хүнийх боловч бүртгэсэн хүйс "
        f"{recorded.name_mn} байна.",
        f"Character 9 of the register number ({digit}) means {in_number.value}, "
        f"but the recorded sex is {recorded.value}.",
        {"digit": str(digit), "in_number": in_number.value, "recorded": recorded.value})


def _first_differing_part(a: date, b: date) -> Part:
    if a.year != b.year:
        return Part.BIRTH_YEAR
    return Part.BIRTH_MONTH if a.month != b.month else Part.BIRTH_DAY
