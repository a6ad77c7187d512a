"""The synthetic country has the shape of the 2023-24 figures, is deterministic and clearly synthetic."""

from __future__ import annotations

import collections
import hashlib
from datetime import date
from pathlib import Path

import pytest
from esis_shared import national_id

from bench.synthetic import generate
from bench.synthetic.writer import read_rows

SCALE = 0.001
PEOPLE = ("learners", "guardians", "staff")


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("country")
    generate(out, scale=SCALE, seed=1)
    return out


def rows(data: Path, entity: str) -> list[dict[str, str]]:
    return list(read_rows(data, entity))


def digest(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_counts_follow_the_national_figures_scaled(data: Path) -> None:
    learners = rows(data, "learners")
    pupils = [r for r in learners if r["level"].isdigit()]
    assert len(pupils) == round(781_000 * SCALE)
    assert len(learners) - len(pupils) == round(274_000 * SCALE)
    kinds = collections.Counter(r["kind"] for r in rows(data, "institutions"))
    assert kinds["school"] == 22 and kinds["kindergarten"] == 22  # one per first-level unit below scale ~0.03
    ub = sum(1 for r in pupils if r["aimag_code"] == "11")
    assert 0.43 <= ub / len(pupils) <= 0.47


def test_geography_has_22_first_level_units_their_soums_and_ub_districts(data: Path) -> None:
    kinds = collections.Counter(r["kind"] for r in rows(data, "admin_units"))
    assert kinds["capital"] + kinds["aimag"] == 22
    assert kinds["district"] == 9 and kinds["soum"] == 330 and kinds["khoroo"] == 171


def test_same_seed_gives_identical_files_and_another_seed_other_people(data: Path, tmp_path: Path) -> None:
    generate(tmp_path / "again", scale=SCALE, seed=1)
    generate(tmp_path / "other", scale=SCALE, seed=2)
    assert digest(tmp_path / "again") == digest(data)
    assert digest(tmp_path / "other")["learners.csv"] != digest(data)["learners.csv"]


def test_every_register_number_is_valid_synthetic_and_unique(data: Path) -> None:
    seen = set()
    for entity in PEOPLE:
        for row in rows(data, entity):
            number = national_id.validate(row["register_number"], birth_date=date.fromisoformat(row["birth_date"]),
                                          sex=row["sex"], today=date(2024, 9, 1))
            assert number.letters[0] == "Ъ" and row["synthetic"] == "true"
            seen.add(number.value)
    assert len(seen) == sum(len(rows(data, e)) for e in PEOPLE)


def test_pupils_are_mostly_in_the_grade_of_their_birth_year(data: Path) -> None:
    offsets = collections.Counter()
    for row in rows(data, "learners"):
        if row["level"].isdigit():
            offsets[(2018 - int(row["level"])) - int(row["birth_date"][:4])] += 1
    assert set(offsets) <= {-1, 0, 1}
    assert offsets[0] / sum(offsets.values()) > 0.9


def test_kindergarten_children_are_two_to_five(data: Path) -> None:
    ages = {row["level"]: 2023 - int(row["birth_date"][:4]) for row in rows(data, "learners")
            if not row["level"].isdigit()}
    assert ages == {"baga": 2, "dund": 3, "akhlakh": 4, "beltgel": 5}


def test_both_sexes_are_about_equally_represented(data: Path) -> None:
    sexes = collections.Counter(row["sex"] for row in rows(data, "learners"))
    assert 0.44 <= sexes["male"] / sum(sexes.values()) <= 0.58


def test_every_child_has_one_or_two_guardians_and_siblings_share_them(data: Path) -> None:
    guardians = {row["id"] for row in rows(data, "guardians")}
    links = collections.defaultdict(set)
    for link in rows(data, "guardian_links"):
        assert link["guardian_id"] in guardians
        links[link["learner_id"]].add(link["guardian_id"])
    learners = rows(data, "learners")
    assert {len(links[r["id"]]) for r in learners} == {1, 2}
    by_household = collections.defaultdict(list)
    for row in learners:
        by_household[row["household_id"]].append(links[row["id"]])
    families = [sets for sets in by_household.values() if len(sets) > 1]
    assert len(families) > len(by_household) * 0.2
    assert all(all(s == sets[0] for s in sets) for sets in families)


def test_class_sizes_add_up_and_every_pupil_is_in_a_class(data: Path) -> None:
    classes = {row["id"]: int(row["size"]) for row in rows(data, "classes")}
    members = collections.Counter(row["class_id"] for row in rows(data, "learners"))
    assert members == collections.Counter(classes)


def test_timetable_never_double_books_a_teacher_or_a_class(data: Path) -> None:
    lessons = rows(data, "timetable")
    teacher_slots = collections.Counter((r["teacher_id"], r["shift"], r["day"], r["period"]) for r in lessons)
    class_slots = collections.Counter((r["class_id"], r["day"], r["period"]) for r in lessons)
    assert max(teacher_slots.values()) == 1 and max(class_slots.values()) == 1
    assert len(lessons) == sum(int(r["weekly_hours"]) for r in rows(data, "assignments"))


def test_teachers_carry_subjects_and_large_schools_have_realistic_ratios(data: Path) -> None:
    staff = [r for r in rows(data, "staff") if r["role"] == "teacher"]
    assert all(r["subjects"] for r in staff)
    pupils = collections.Counter(r["institution_id"] for r in rows(data, "learners") if r["level"].isdigit())
    teachers = collections.Counter(r["institution_id"] for r in staff)
    big = [school for school, n in pupils.items() if n >= 300]
    assert big and all(12 <= pupils[s] / teachers[s] <= 30 for s in big)


def test_ulaanbaatar_state_classes_are_larger(tmp_path: Path) -> None:
    generate(tmp_path, scale=0.01, seed=3)
    places = {r["id"]: (r["place"], r["ownership"]) for r in read_rows(tmp_path, "institutions")}
    sizes = collections.defaultdict(list)
    for row in read_rows(tmp_path, "classes"):
        if row["level"].isdigit():
            sizes[places[row["institution_id"]] == ("ub", "state")].append(int(row["size"]))
    ub_mean = sum(sizes[True]) / len(sizes[True])
    assert 32 <= ub_mean <= 40 and ub_mean > sum(sizes[False]) / len(sizes[False])


def test_scale_outside_the_range_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scale"):
        generate(tmp_path, scale=2, seed=1)


def test_a_country_moved_to_another_school_year_has_the_same_people_with_ages_fitting_that_year(
        data: Path, tmp_path: Path) -> None:
    moved = tmp_path / "moved"
    manifest = generate(moved, scale=SCALE, seed=1, school_year=2026)
    assert manifest["school_year"] == 2026 and manifest["calendar"]["terms"][0]["starts_on"] == "2026-09-01"
    before, after = rows(data, "learners"), rows(moved, "learners")
    assert [r["level"] for r in after] == [r["level"] for r in before]
    assert all(int(a["birth_date"][:4]) == int(b["birth_date"][:4]) + 3 for a, b in zip(after, before, strict=True))
    for row in after:
        if row["level"].isdigit():  # a first-grader of 2026-27 was born in 2019 (± a year), and so on
            assert abs((2021 - int(row["level"])) - int(row["birth_date"][:4])) <= 1
        national_id.validate(row["register_number"], birth_date=date.fromisoformat(row["birth_date"]),
                             sex=row["sex"], today=date(2026, 9, 1))
