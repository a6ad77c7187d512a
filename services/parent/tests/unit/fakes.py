"""Fakes of parent's ports: an education register, hr directory, timetable and access log held in memory."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from parent.domain.errors import Unavailable
from parent.domain.guardians import Claim
from parent.domain.receipts import AccessEntry
from parent.domain.school import Child, Lesson, StaffContact
from parent.service_layer.ports import ClaimMatch


@dataclass
class RecordedGuardian:
    guardian_id: str
    given_name: str
    phone: str
    relationship: str = "mother"


@dataclass
class FakeEducation:
    learners: dict[str, tuple[str, Child, list[RecordedGuardian]]] = field(default_factory=dict)
    calls: int = 0
    down: bool = False

    def add(self, register_number: str, child: Child, *guardians: RecordedGuardian) -> None:
        self.learners[register_number] = (register_number, child, list(guardians))

    def verify_claim(self, claim: Claim, account_id: str) -> ClaimMatch | None:
        self.calls += 1
        if self.down:
            raise Unavailable("education is down", "education ажиллахгүй байна")
        _, child, guardians = self.learners.get(claim.learner_register_number, ("", None, []))
        for g in guardians:
            if g.given_name == claim.guardian_given_name and g.phone == claim.guardian_phone:
                return ClaimMatch(child.learner_id, g.guardian_id, g.relationship)  # type: ignore[union-attr]
        return None

    def learner(self, learner_id: str, on_behalf_of: str) -> Child:
        for _, child, _ in self.learners.values():
            if child.learner_id == learner_id:
                return Child(**vars(child))
        raise AssertionError(f"unknown learner {learner_id}")


@dataclass
class FakeStaff:
    people: dict[str, StaffContact] = field(default_factory=dict)
    classes: dict[str, list[str]] = field(default_factory=dict)

    def add(self, contact: StaffContact, *class_ids: str) -> None:
        self.people[contact.staff_id] = contact
        for class_id in class_ids:
            self.classes.setdefault(class_id, []).append(contact.staff_id)

    def staff(self, staff_id: str) -> StaffContact | None:
        return self.people.get(staff_id)

    def teachers_of_class(self, class_id: str) -> list[StaffContact]:
        return [self.people[s] for s in self.classes.get(class_id, [])]


@dataclass
class FakeTimetable:
    """education's GetTimetable: the published lessons by class ([] for none); None while ``down``."""

    by_class: dict[str, list[Lesson]] = field(default_factory=dict)
    asked: list[str] = field(default_factory=list)
    down: bool = False

    def lessons(self, class_id: str) -> list[Lesson] | None:
        self.asked.append(class_id)
        return None if self.down else list(self.by_class.get(class_id, []))


@dataclass
class FakeAccessLog:
    by_learner: dict[str, list[AccessEntry]] = field(default_factory=dict)
    tokens: list[str] = field(default_factory=list)

    def entries(self, learner_id: str, bearer_token: str) -> list[AccessEntry]:
        self.tokens.append(bearer_token)
        return self.by_learner.get(learner_id, [])


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


BAT = Child("lrn-bat", "Бат", "Дорж", date(2014, 3, 2), "male", "sch-1", "cls-5b", "5")
SARNAI = Child("lrn-sarnai", "Сарнай", "Дорж", date(2021, 5, 10), "female", "kg-1", "cls-kg", "dund")
OTHER = Child("lrn-other", "Тэмүүлэн", "Бат", date(2014, 7, 1), "male", "sch-1", "cls-5b", "5")
NOON_UB = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)  # Monday 12:00 in Ulaanbaatar
