"""Reads a generated dataset class by class (streaming), with what each activity needs about the class."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from bench.synthetic.reference import REFERENCE_DIR
from bench.synthetic.writer import read_manifest, read_rows


@dataclass(frozen=True)
class SchoolClass:
    id: str
    institution_id: str
    level: str
    teacher_id: str
    place: str
    aimag_code: str
    learner_ids: tuple[str, ...]
    lessons: tuple[tuple[str, str], ...]  # (subject code, teacher id)


def rates() -> dict[str, Any]:
    return yaml.safe_load((REFERENCE_DIR / "activity.yaml").read_text(encoding="utf-8"))


def school_classes(data: Path) -> Iterator[SchoolClass]:
    """School classes in file order with their pupils and subjects (kindergarten groups are skipped).

    learners.csv and assignments.csv are written class by class in the same order, so both are merged in one
    pass; only classes.csv and institutions.csv (small) are held in memory.
    """
    institutions = {row["id"]: row for row in read_rows(data, "institutions")}
    classes = {row["id"]: row for row in read_rows(data, "classes")}
    lessons = itertools.groupby(read_rows(data, "assignments"), key=lambda row: row["class_id"])
    for class_id, learners in itertools.groupby(read_rows(data, "learners"), key=lambda row: row["class_id"]):
        row = classes[class_id]
        if not row["level"].isdigit():
            continue
        lesson_class, subjects = next(lessons)
        if lesson_class != class_id:
            raise ValueError(f"{data}: assignments are not in the order of learners (class {class_id})")
        inst = institutions[row["institution_id"]]
        yield SchoolClass(class_id, row["institution_id"], row["level"], row["class_teacher_id"], inst["place"],
                          inst["aimag_code"], tuple(r["id"] for r in learners),
                          tuple((s["subject_code"], s["teacher_id"]) for s in subjects))


def schools_by_aimag(data: Path) -> dict[str, list[str]]:
    schools: dict[str, list[str]] = {}
    for row in read_rows(data, "institutions"):
        if row["kind"] == "school":
            schools.setdefault(row["aimag_code"], []).append(row["id"])
    return schools


def school_days(data: Path, term: int) -> list[date]:
    """Monday–Friday days of a term that are not holidays (from the dataset's calendar)."""
    calendar = read_manifest(data)["calendar"]
    spec = next(t for t in calendar["terms"] if t["number"] == term)
    holidays = {date.fromisoformat(d) for d in calendar["holidays"]}
    day, end = date.fromisoformat(spec["starts_on"]), date.fromisoformat(spec["ends_on"])
    days = []
    while day <= end:
        if day.weekday() < 5 and day not in holidays:
            days.append(day)
        day += timedelta(days=1)
    return days


def year_school_days(data: Path) -> int:
    return sum(len(school_days(data, t["number"])) for t in read_manifest(data)["calendar"]["terms"])
