"""The activity simulator sends one attendance submission per class, a term of marks, and few movements."""

from __future__ import annotations

import collections
import json
from datetime import date
from pathlib import Path

import pytest

from bench.synthetic import generate
from bench.synthetic.activity.__main__ import simulate_all
from bench.synthetic.writer import read_rows

DAY = date(2023, 10, 2)


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("country")
    generate(out, scale=0.001, seed=1)
    simulate_all(out, out / "activity", day=DAY, term=1, seed=1)
    return out


def requests(data: Path, name: str) -> list[dict]:
    with (data / "activity" / name).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def pupils(data: Path) -> list[dict[str, str]]:
    return [row for row in read_rows(data, "learners") if row["level"].isdigit()]


def test_a_school_day_has_one_submission_per_class_covering_every_pupil(data: Path) -> None:
    day = requests(data, f"attendance-{DAY}.jsonl")
    classes = {row["class_id"] for row in pupils(data)}
    assert {r["class_id"] for r in day} == classes and len(day) == len(classes)
    statuses = collections.Counter(rec["status"] for r in day for rec in r["records"])
    assert sum(statuses.values()) == len(pupils(data))
    assert 0.85 <= statuses["present"] / sum(statuses.values()) <= 0.98


def test_a_term_of_marks_gives_every_pupil_a_term_mark_per_subject(data: Path) -> None:
    marks = requests(data, "marks-term-1.jsonl")
    term = [r for r in marks if r["assessment"] == "term"]
    assignments = list(read_rows(data, "assignments"))
    assert len(term) == len(assignments)
    values = [m["percent"] for r in marks for m in r["marks"]]
    assert min(values) >= 0 and max(values) <= 100 and 60 <= sum(values) / len(values) <= 85
    assert all("2023-09-01" <= r["date"] <= "2023-11-03" for r in marks)


def test_movements_are_rare_and_transfers_go_to_another_school(data: Path) -> None:
    moves = requests(data, "movements-term-1.jsonl")
    assert len(moves) <= 0.05 * len(pupils(data))
    assert all(m["to_institution_id"] != m["from_institution_id"] for m in moves if m["request"] == "transfer.request")


def test_the_simulation_is_deterministic(data: Path, tmp_path: Path) -> None:
    again = simulate_all(data, tmp_path, day=DAY, term=1, seed=1)
    for name in again["files"]:
        assert (tmp_path / name).read_bytes() == (data / "activity" / name).read_bytes()
