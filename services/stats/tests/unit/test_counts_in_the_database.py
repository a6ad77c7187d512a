"""The dashboards count learners with GROUP BY in the database instead of loading every spell: on the hand-made
event log the database's counts are exactly what the domain's census of individual records gives."""

from __future__ import annotations

from collections import Counter
from datetime import date
from typing import Any

import pytest
from stats.adapters import readers
from stats.adapters.projections import ProjectionStore
from stats.bootstrap import Container
from stats.domain import survival
from stats.domain.attendance import per_learner
from stats.domain.enrolment import enrolment_cube, grade_age_sex
from stats.domain.hierarchy import NATIONAL
from stats.service_layer.figures import load_world

AREAS = (NATIONAL, "A65", "A83", "S1", "S2", "K1", "K3", "K9")


@pytest.mark.parametrize("year", [2023, 2024])
def test_census_counts_match_the_individual_records(container: Container, year: int) -> None:
    with container.transaction() as session:
        world = load_world(session)
        day = world.census_day(year)
        assert world.enrolled(NATIONAL, year) == len(world.census(year)) > 0
        for area in AREAS:
            placements = world.area(area, year)
            assert world.enrolled(area, year) == len(placements), area
            assert world.grade_age_sex(area, year) == grade_age_sex(placements, world.learners, world.rules(year),
                                                                    day), area
            expected_entrants = survival.new_entrants(placements, world.census(year - 1))
            assert world.new_entrants(area, year) == len(expected_entrants), area
        schools = {u for u, unit in world.hierarchy.units.items() if unit.level == "school"}
        expected_classes = Counter(s.class_id for s in world.spells if s.org_id in schools and s.covers(day))
        assert readers.class_counts(session, schools, day) == dict(expected_classes)


def test_enrolment_cube_of_the_api_matches_the_domain(container: Container) -> None:
    as_of = date(2024, 5, 20)  # after the withdrawal in May: one learner fewer than on the census day
    with container.transaction() as session:
        world = load_world(session)
        rules = world.rules(2023)
        expected = enrolment_cube(world.spells, world.learners, world.hierarchy, as_of, rules, "soum")
        found: Counter[tuple[str, str, str, int]] = Counter()
        for (org, grade, sex, birth_year), n in world.counts_on(as_of).items():
            assert sex is not None and birth_year is not None
            found[(world.hierarchy.area_at(org, "soum", as_of) or "", grade, sex, rules.age_on(birth_year, as_of))] += n
        assert found == expected and sum(found.values()) == world.enrolled(NATIONAL, 2023) - 1


def test_attendance_days_are_counted_by_the_database(container: Container) -> None:
    with container.transaction() as session:
        schools = {"K1", "K2", "K3", "K9"}
        first, last = date(2023, 9, 1), date(2024, 8, 31)
        counted = readers.learner_attendance(session, schools, first, last)
        assert counted and counted == per_learner(readers.marks(session, schools, first, last))
        assert any(a.missed_days for a in counted)


def test_dashboards_show_a_newly_projected_enrolment(client: Any, container: Container) -> None:
    """Counts are kept between requests only while no event arrives: the next one shows up at once."""
    def national_total() -> int:
        rows = client.get("/api/stats/v1/open/enrolment.json?year=2023").json()["rows"]
        return sum(r["total"] or 0 for r in rows[:-1] if r["area_id"] == "A83")

    def k9_learners() -> int:
        return client.get("/api/stats/v1/open/schools/K9.json?year=2023").json()["learners"]

    before, school_before = national_total(), k9_learners()
    assert (before, school_before) == (national_total(), k9_learners()) == (20, 20)
    with container.transaction() as session:
        store = ProjectionStore(session)
        store.learner("lrn-new", "female", 2017)
        store.enrol("lrn-new", "K9", "c-K9-1-2023", "1", date(2023, 9, 1))
        store.record_offset("education.enrolments.v1", 0, 10_000)
    assert (national_total(), k9_learners()) == (21, 21)


def test_indicators_follow_a_new_population_upload(client: Any, tokens: Any) -> None:
    """Indicators are kept between requests together with the population they divide by: a new upload counts."""
    def ger() -> float:
        found = client.get("/api/stats/v1/open/indicators.json?area_id=A65&year=2023").json()["figures"]
        return next(f["value"] for f in found if f["indicator"] == "ger" and f["dims"] == {"level": "primary"})

    assert ger() == ger() == 23.0  # 23 primary pupils of 100 children aged 6–10
    doubled = "area_code,year,age,sex,population\n" + "".join(
        f"65,2023,{age},{sex},20\n" for age in range(6, 18) for sex in ("male", "female"))
    response = client.post("/api/stats/v1/population", content=doubled,
                           headers={**tokens.headers("ministry"), "Content-Type": "text/csv"})
    assert response.status_code == 201, response.text
    assert ger() == 11.5
