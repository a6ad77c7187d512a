"""Generate a synthetic Mongolia into a directory of CSV files, region by region, institution by institution."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.synthetic import geography, plan
from bench.synthetic.allocate import stream
from bench.synthetic.households import Households
from bench.synthetic.institutions import Context, build_kindergarten, build_school
from bench.synthetic.people import People, Person
from bench.synthetic.reference import Reference, for_school_year, load
from bench.synthetic.register import SYNTHETIC_LETTER, RegisterNumbers
from bench.synthetic.timetable import Grid
from bench.synthetic.writer import DatasetWriter

MIN_SCALE, MAX_SCALE = 0.001, 1.0
Progress = Callable[[int], None]  # called with the number of children just written
REGISTER_RULE = (f"Register numbers start with '{SYNTHETIC_LETTER}' (no real number does), then the aimag letter; "
                 "digits follow the rules (birth date, +20 month from 2000, sex digit).")
PHONE_RULE = "Phone numbers start with 0, which no Mongolian subscriber number does."


def generate(out: Path, *, scale: float, seed: int, progress: Progress | None = None,
             school_year: int | None = None) -> dict[str, Any]:
    """Write the dataset; returns the manifest. ``progress`` is told how many children each institution added.

    ``school_year`` (its first calendar year) moves the country to another year: ages then fit the grades of that
    year; by default the year the shaping figures describe."""
    if not MIN_SCALE <= scale <= MAX_SCALE:
        raise ValueError(f"scale must be within {MIN_SCALE}..{MAX_SCALE}, got {scale}")
    ref = load() if school_year is None else for_school_year(load(), school_year)
    ministry, regions = geography.build(ref, seed)
    institutions = plan.plan(ref, regions, scale, seed)
    writer = DatasetWriter(out)
    _write_reference(writer, ref, geography.all_places(ministry, regions), institutions)
    numbers = RegisterNumbers({r.unit.register_letter for r in regions})
    unplaced = sum(_generate_region(ref, writer, numbers, region, institutions, seed, progress or _quiet)
                   for region in regions)
    return writer.close(_manifest(ref, scale, seed, institutions, unplaced))


def planned_children(scale: float, seed: int) -> int:
    """How many learners ``generate`` will write (for a progress bar's total)."""
    ref = load()
    _, regions = geography.build(ref, seed)
    return sum(i.children for i in plan.plan(ref, regions, scale, seed))


def _quiet(_: int) -> None:
    return None


def _write_reference(writer: DatasetWriter, ref: Reference, places: list[geography.Place],
                     institutions: list[plan.Institution]) -> None:
    for place in places:
        writer.write("admin_units", place.row())
    for inst in institutions:
        writer.write("institutions", inst.row())
    for subject in ref.subjects:
        writer.write("subjects", {"code": subject.code, "name_mn": subject.name_mn, "name_en": subject.name_en,
                                  "specialty": subject.specialty,
                                  "weekly_hours_by_grade": ";".join(map(str, subject.hours))})


def _generate_region(ref: Reference, writer: DatasetWriter, numbers: RegisterNumbers, region: geography.Region,
                     institutions: list[plan.Institution], seed: int, progress: Progress) -> int:
    rng = stream(seed, "people", region.unit.code)
    people = People(ref, numbers, rng, region.unit.register_letter)

    def write_guardian(person: Person, household_id: str, phone: str, institution_id: str) -> None:
        writer.write("guardians", {**person.row(), "phone": phone, "household_id": household_id,
                                   "institution_id": institution_id, "aimag_code": region.unit.code,
                                   "synthetic": True})

    timetable = ref.shaping["timetable"]
    ctx = Context(ref, writer, people, Households(people, write_guardian),
                  Grid(timetable["days"], timetable["periods"], timetable["overflow_days"],
                       timetable["overflow_periods"]))
    for inst in (i for i in institutions if i.region is region):
        (build_school if inst.kind == plan.SCHOOL else build_kindergarten)(ctx, inst)
        progress(inst.children)
    numbers.forget_local()
    return ctx.unplaced_lessons


def _manifest(ref: Reference, scale: float, seed: int, institutions: list[plan.Institution],
              unplaced: int) -> dict[str, Any]:
    schools = [i for i in institutions if i.kind == plan.SCHOOL]
    ub_pupils = sum(i.children for i in schools if i.region.is_capital)
    pupils = sum(i.children for i in schools)
    return {
        "generator": "bench.synthetic", "seed": seed, "scale": scale, "school_year": ref.school_year,
        "labels": {"register_numbers": REGISTER_RULE, "phones": PHONE_RULE,
                   "names": "Random combinations of common given names; family name = a parent's given name.",
                   "places": "Soums are numbered synthetic units; real counts per aimag."},
        "summary": {"schools": len(schools), "kindergartens": len(institutions) - len(schools), "pupils": pupils,
                    "kindergarten_children": sum(i.children for i in institutions) - pupils,
                    "ub_pupil_share": round(ub_pupils / pupils, 4) if pupils else 0.0,
                    "unplaced_lessons": unplaced},
        "calendar": {"terms": [{"number": t.number, "starts_on": t.starts_on.isoformat(),
                                "ends_on": t.ends_on.isoformat()} for t in ref.terms()],
                     "holidays": sorted(d.isoformat() for d in ref.holidays())},
    }
