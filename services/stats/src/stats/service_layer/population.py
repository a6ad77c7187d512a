"""The population reference the ministry uploads: CSV ``area_code,year,age,sex,population``.

One upload replaces the rows of the (area, year) pairs it contains, so a corrected file can be sent again.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from stats.adapters.orm import population
from stats.domain.errors import StatsError

COLUMNS = ("area_code", "year", "age", "sex", "population")
SEXES = frozenset({"male", "female"})


class InvalidUpload(StatsError):
    code = "invalid_population_file"


@dataclass(frozen=True)
class Row:
    area_code: str
    year: int
    age: int
    sex: str
    people: int


def parse(text: str) -> list[Row]:
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    if tuple(reader.fieldnames or ()) != COLUMNS:
        raise InvalidUpload(f"The header must be {','.join(COLUMNS)}",
                            f"Гарчиг мөр {','.join(COLUMNS)} байх ёстой", line=1)
    return [_row(record, number) for number, record in enumerate(reader, start=2)]


def _row(record: dict[str, str], line: int) -> Row:
    try:
        row = Row(record["area_code"].strip(), int(record["year"]), int(record["age"]), record["sex"].strip(),
                  int(record["population"]))
    except (TypeError, ValueError):
        raise InvalidUpload(f"Line {line}: year, age and population must be whole numbers",
                            f"{line}-р мөр: он, нас, хүн амын тоо бүхэл тоо байна", line=line) from None
    if row.sex not in SEXES or row.age < 0 or row.people < 0 or not row.area_code:
        raise InvalidUpload(f"Line {line}: sex must be male or female, age and population not negative",
                            f"{line}-р мөр: хүйс male/female, нас ба тоо сөрөг биш байна", line=line)
    return row


def replace(session: Session, rows: list[Row]) -> int:
    for area_code, year in sorted({(r.area_code, r.year) for r in rows}):
        session.execute(delete(population).where(population.c.area_code == area_code, population.c.year == year))
    if rows:
        session.execute(insert(population), [{"area_code": r.area_code, "year": r.year, "age": r.age,
                                              "sex": r.sex, "people": r.people} for r in rows])
    return len(rows)
