"""Households: 1-2 guardians per child, siblings sharing their guardians.

Each region keeps a bounded pool of open households; a new child joins one of them (a sibling, born in another
year) or starts a new one. Memory stays bounded at scale 1 because the pool is per region and capped.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from esis_shared.national_id import Sex

from bench.synthetic.allocate import new_id, pick_weighted
from bench.synthetic.people import People, Person

GuardianSink = Callable[[Person, str, str, str], None]  # (guardian, household id, phone, institution id)


@dataclass
class Household:
    id: str
    guardians: list[tuple[Person, str]]  # (guardian, relationship)
    surname_source: str                   # the given name a child takes as family name
    birth_years: set[int] = field(default_factory=set)


class Households:
    def __init__(self, people: People, write_guardian: GuardianSink) -> None:
        self.people = people
        self.cfg = people.ref.shaping["guardians"]
        self.write_guardian = write_guardian
        self.pool: list[Household] = []

    def household_for(self, born: date, institution_id: str) -> Household:
        """A household for a child born on ``born``: an open one with no child of that year, or a new one
        (whose guardians are recorded by the child's institution)."""
        rng = self.people.rng
        if self.pool and rng.random() < self.cfg["join_open_household"]:
            for _ in range(3):
                index = rng.randrange(len(self.pool))
                household = self.pool[index]
                if born.year not in household.birth_years:
                    return self._add_child(index, household, born)
        return self._new(born, institution_id)

    def _add_child(self, index: int, household: Household, born: date) -> Household:
        household.birth_years.add(born.year)
        if len(household.birth_years) >= self.cfg["max_children"]:
            self.pool.pop(index)
        return household

    def _new(self, born: date, institution_id: str) -> Household:
        household = Household(new_id(self.people.rng), [], "")
        household.guardians = self._guardians(born)
        household.surname_source = _surname_source(household.guardians)
        household.birth_years.add(born.year)
        self.pool.append(household)
        if len(self.pool) > self.cfg["open_household_pool"]:
            self.pool.pop(0)
        for guardian, _ in household.guardians:
            self.write_guardian(guardian, household.id, self._phone(), institution_id)
        return household

    def _guardians(self, child_born: date) -> list[tuple[Person, str]]:
        people, rng = self.people, self.people.rng
        low, high = self.cfg["mother_age_at_birth"]
        mother_born = people.date_in_year(child_born.year - rng.randint(low, high))
        older_low, older_high = self.cfg["father_older_by"]
        father_born = people.date_in_year(mother_born.year - rng.randint(older_low, older_high))
        if rng.random() < self.cfg["two_guardians"]:
            return [(people.person(Sex.FEMALE, mother_born), "mother"),
                    (people.person(Sex.MALE, father_born), "father")]
        role = pick_weighted(rng, self.cfg["single_guardian_roles"])
        if role == "father":
            return [(people.person(Sex.MALE, father_born), "father")]
        if role == "grandparent":
            sex = people.sex_for(0.3)
            return [(people.person(sex, people.date_in_year(mother_born.year - rng.randint(22, 30))), "grandparent")]
        return [(people.person(Sex.FEMALE, mother_born), "mother")]

    def _phone(self) -> str:
        # Mongolian subscriber numbers never start with 0: a leading 0 marks the phone as synthetic.
        return f"0{self.people.rng.randrange(10_000_000):07d}"


def _surname_source(guardians: list[tuple[Person, str]]) -> str:
    by_role = {role: person for person, role in guardians}
    parent = by_role.get("father") or by_role.get("mother") or guardians[0][0]
    return parent.given_name
