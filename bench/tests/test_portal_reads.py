"""Scenario 1 reads about a real class of the synthetic country: one the teacher marks daily, a teacher hr assigns
to it, a child of it with a guardian the claim can name."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.scenarios import portal_reads
from bench.synthetic import generate
from bench.synthetic.writer import read_rows


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("country")
    generate(out, scale=0.001, seed=1)
    return out


def test_the_reads_are_about_a_daily_marked_class_of_the_largest_school(data: Path) -> None:
    choice = portal_reads._choose(data)
    learners = list(read_rows(data, "learners"))
    kinds = {row["id"]: row["kind"] for row in read_rows(data, "institutions")}
    sizes: dict[str, int] = {}
    for row in learners:
        if kinds[row["institution_id"]] == "school":
            sizes[row["institution_id"]] = sizes.get(row["institution_id"], 0) + 1
    assert sizes[choice.school] == max(sizes.values())
    level = next(row["level"] for row in read_rows(data, "classes") if row["id"] == choice.class_id)
    assert level.isdigit() and 1 <= int(level) <= 5  # daily attendance: one form per day
    assert {row["id"] for row in choice.learners} == {row["id"] for row in learners
                                                       if row["class_id"] == choice.class_id}


def test_the_teacher_is_assigned_to_the_class_and_the_guardian_can_claim_the_child(data: Path) -> None:
    choice = portal_reads._choose(data)
    assert any(row["teacher_id"] == choice.teacher and row["class_id"] == choice.class_id
               for row in read_rows(data, "assignments"))
    assert choice.child in choice.learners
    assert any(row["learner_id"] == choice.child["id"] and row["guardian_id"] == choice.guardian["id"]
               for row in read_rows(data, "guardian_links"))
    assert choice.guardian["phone"] and choice.guardian["given_name"] and choice.child["register_number"]
