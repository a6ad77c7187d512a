"""Value objects: effective-dated periods, school years, FTE, names, contact and qualifications."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation

from hr.domain.errors import InvalidInput

_SCHOOL_YEAR = re.compile(r"^(?P<first>\d{4})-(?P<second>\d{4})$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 -]{6,20}$")
MAX_FTE = Decimal("1.00")


@dataclass(frozen=True)
class Period:
    """Days from ``start`` (inclusive) to ``end`` (exclusive); ``end`` None means still running."""

    start: date
    end: date | None = None

    def __post_init__(self) -> None:
        if self.end is not None and self.end <= self.start:
            raise InvalidInput("period_order", f"Дуусах огноо ({self.last_day}) эхлэх огнооноос ({self.start}) "
                               "өмнө байна.", f"The end ({self.last_day}) is before the start ({self.start}).",
                               field="end_date")

    @classmethod
    def through(cls, start: date, last_day: date | None) -> Period:
        """A period given by its last day, as people say it ("until 30 June")."""
        return cls(start, None if last_day is None else last_day + timedelta(days=1))

    @property
    def last_day(self) -> date | None:
        return None if self.end is None else self.end - timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    def overlaps(self, other: Period) -> bool:
        return (other.end is None or self.start < other.end) and (self.end is None or other.start < self.end)

    def is_open(self) -> bool:
        return self.end is None

    def closed_at(self, end: date) -> Period:
        return Period(self.start, end)

    def within(self, outer: Period) -> bool:
        ends_inside = outer.end is None or (self.end is not None and self.end <= outer.end)
        return outer.start <= self.start and ends_inside


@dataclass(frozen=True, order=True)
class SchoolYear:
    """A school year such as ``2024-2025``; its envelope runs 1 September to 31 August."""

    first_year: int

    @classmethod
    def parse(cls, label: str) -> SchoolYear:
        match = _SCHOOL_YEAR.fullmatch(label.strip())
        if not match or int(match["second"]) != int(match["first"]) + 1:
            raise InvalidInput("school_year_format", f"Хичээлийн жил \"{label}\" буруу: 2024-2025 гэж бичнэ.",
                               f"School year \"{label}\" is invalid: write it as 2024-2025.", field="school_year")
        return cls(int(match["first"]))

    @classmethod
    def of(cls, day: date) -> SchoolYear:
        return cls(day.year if day.month >= 9 else day.year - 1)

    @property
    def label(self) -> str:
        return f"{self.first_year}-{self.first_year + 1}"

    @property
    def envelope(self) -> Period:
        return Period(date(self.first_year, 9, 1), date(self.first_year + 1, 9, 1))

    def __str__(self) -> str:
        return self.label


def fte(value: str | float | Decimal, *, field: str = "fte") -> Decimal:
    """Full-time equivalent: more than 0, at most 1, two decimals (0.25, 0.5, 1)."""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        amount = Decimal(-1)
    if not Decimal(0) < amount <= MAX_FTE:
        raise InvalidInput("fte_range", f"Орон тооны хэмжээ ({value}) 0-ээс их, 1-ээс ихгүй байна.",
                           f"FTE ({value}) must be more than 0 and at most 1.", field=field)
    return amount


@dataclass(frozen=True)
class PersonName:
    """Mongolian names: clan name (ургийн овог, optional), patronymic (эцэг/эхийн нэр), given name."""

    patronymic: str
    given_name: str
    clan_name: str = ""

    def __post_init__(self) -> None:
        for field, value in (("patronymic", self.patronymic), ("given_name", self.given_name)):
            if not value.strip():
                raise InvalidInput("name_required", "Овог, нэрийг заавал бөглөнө.",
                                   "Patronymic and given name are required.", field=field)

    @property
    def display(self) -> str:
        """The usual short form: initial of the patronymic and the given name (Б.Болд)."""
        return f"{self.patronymic.strip()[0]}.{self.given_name.strip()}"


@dataclass(frozen=True)
class Contact:
    phone: str = ""
    email: str = ""
    address: str = ""

    def __post_init__(self) -> None:
        if self.phone and not _PHONE.fullmatch(self.phone):
            raise InvalidInput("phone_format", f"Утасны дугаар \"{self.phone}\" буруу байна.",
                               f"Phone number \"{self.phone}\" is invalid.", field="phone")
        if self.email and not _EMAIL.fullmatch(self.email):
            raise InvalidInput("email_format", f"И-мэйл хаяг \"{self.email}\" буруу байна.",
                               f"E-mail address \"{self.email}\" is invalid.", field="email")


@dataclass(frozen=True)
class Education:
    """A completed degree: bachelor, master, doctor, diploma (professional) ..."""

    degree: str
    institution: str
    year: int
    speciality: str = ""

    def check_against(self, birth_date: date, today: date) -> None:
        if not birth_date.year + 14 <= self.year <= today.year:
            raise InvalidInput("education_year", f"Боловсрол эзэмшсэн он ({self.year}) боломжгүй байна.",
                               f"The year the degree was obtained ({self.year}) is not possible.",
                               field="education.year")


@dataclass(frozen=True)
class Licence:
    """A teaching licence or certification, valid until ``expires_on`` (inclusive)."""

    kind: str
    number: str
    issued_on: date
    expires_on: date | None = None

    def __post_init__(self) -> None:
        if self.expires_on is not None and self.expires_on < self.issued_on:
            raise InvalidInput("licence_dates", f"Үнэмлэх {self.number}: дуусах огноо олгосон огнооноос өмнө байна.",
                               f"Licence {self.number}: it expires before it was issued.", field="licences.expires_on")

    def valid_on(self, day: date) -> bool:
        return self.issued_on <= day and (self.expires_on is None or day <= self.expires_on)

    def expires_within(self, day: date, days: int) -> bool:
        return self.expires_on is not None and day <= self.expires_on <= day + timedelta(days=days)
