"""Synthetic people: common names, well-formed register numbers with made-up serials, phones starting with 00."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Person:
    family_name: str
    given_name: str
    sex: str = "female"


@dataclass(frozen=True)
class Child:
    person: Person
    birth_date: date
    register_number: str
    guardian: Person
    relationship: str
    phone: str


FAMILY = ("Бат", "Дорж", "Ганбат", "Сүх", "Баяр", "Очир", "Энх", "Төмөр", "Мөнх", "Пүрэв", "Цэрэн", "Нямаа")
GIRLS = ("Номин", "Сарнай", "Анужин", "Хулан", "Мишээл", "Энхжин", "Солонго", "Уянга", "Нандин", "Марал")
BOYS = ("Тэмүүлэн", "Билгүүн", "Анар", "Тэлмүүн", "Ганзориг", "Мөнх-Оргил", "Батзаяа", "Хангай", "Эрдэм", "Тэмүжин")
MOTHERS = ("Оюун", "Туяа", "Сараа", "Цэцэг", "Наран", "Алтанцэцэг")
DEMO_MOTHER = Person("Дамдин", "Оюун")  # the guardian record behind the parent.demo account
DEMO_PHONE = "00112233"
DEMO_TEACHER = Person("Батын", "Саруул")  # teacher.demo
TEACHER_BORN = date(1990, 5, 14)


def register_number(letters: str, born: date, sex: str, serial: int) -> str:
    """A well-formed synthetic number: YYMMDD (+20 on the month from 2000), odd digit for boys, a serial."""
    month = born.month + (20 if born.year >= 2000 else 0)
    sex_digit = (2 * (serial % 5) + 1) if sex == "male" else 2 * (serial % 5)
    return f"{letters}{born:%y}{month:02d}{born:%d}{sex_digit}{serial % 10}"


def make_children(letters: str, born_in: int, count: int, serial: int) -> list[Child]:
    children = []
    for i in range(count):
        n = serial + i
        sex = "male" if n % 2 else "female"
        person = Person(FAMILY[n % len(FAMILY)], (BOYS if sex == "male" else GIRLS)[n % 10], sex)
        born = date(born_in, 1 + n % 12, 1 + n % 28)
        mother = Person(FAMILY[(n + 5) % len(FAMILY)], MOTHERS[n % len(MOTHERS)])
        children.append(Child(person, born, register_number(letters, born, sex, n), mother, "mother",
                              f"00{100000 + n:06d}"))
    return children


def demo_child() -> Child:
    """parent.demo's child, in 5А of the UB school."""
    born = date(2016, 4, 12)
    return Child(Person("Болд", "Тэмүүлэн", "male"), born, register_number("УБ", born, "male", 7), DEMO_MOTHER,
                 "mother", DEMO_PHONE)
