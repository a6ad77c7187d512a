"""In-memory unit of work: the fake the unit tests run the service layer on (same protocol as the SQL one).

State lives in one ``MemoryState``; a unit of work works on a copy and puts it back only on commit, so a
handler that fails half-way leaves nothing behind, as a database transaction would.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from parent.domain.events import Event
from parent.domain.growth import Measurement
from parent.domain.guardians import ChildLink, ClaimHistory, Guardian
from parent.domain.messaging import Consultation, Message, Thread
from parent.domain.notifications import NotificationRequest, Preferences
from parent.domain.receipts import Receipt
from parent.domain.school import (
    AttendanceEntry,
    Child,
    ClassInfo,
    DevelopmentNote,
    Grade,
    Homework,
    Lesson,
    Mark,
    SchoolInfo,
)


@dataclass
class MemoryState:
    tables: dict[str, dict[Any, Any]] = field(default_factory=lambda: {name: {} for name in (
        "guardians", "links", "claims", "children", "attendance", "marks", "grades", "homework", "growth", "notes",
        "classes", "schools", "timetables", "threads", "consultations", "preferences", "receipts")})
    events: list[Event] = field(default_factory=list)
    notifications: list[NotificationRequest] = field(default_factory=list)


class _Table:
    def __init__(self, rows: dict[Any, Any]) -> None:
        self.rows = rows


class MemGuardians(_Table):
    def get(self, account_id: str) -> Guardian | None:
        return self.rows.get(account_id)

    def save(self, guardian: Guardian) -> None:
        self.rows[guardian.account_id] = guardian


class MemLinks(_Table):
    def for_account(self, account_id: str) -> list[ChildLink]:
        return sorted((v for (a, _), v in self.rows.items() if a == account_id), key=lambda x: x.linked_at)

    def for_learner(self, learner_id: str) -> list[ChildLink]:
        return [v for (_, lrn), v in self.rows.items() if lrn == learner_id]

    def get(self, account_id: str, learner_id: str) -> ChildLink | None:
        return self.rows.get((account_id, learner_id))

    def add(self, link: ChildLink) -> None:
        self.rows[(link.account_id, link.learner_id)] = link

    def remove(self, account_id: str, learner_id: str) -> None:
        self.rows.pop((account_id, learner_id), None)


class MemClaims(_Table):
    def get(self, account_id: str) -> ClaimHistory:
        return self.rows.get(account_id) or ClaimHistory(account_id)

    def save(self, history: ClaimHistory) -> None:
        self.rows[history.account_id] = history


class MemChildren(_Table):
    def get(self, learner_id: str) -> Child | None:
        return self.rows.get(learner_id)

    def save(self, child: Child) -> None:
        self.rows[child.learner_id] = child

    def in_class(self, class_id: str) -> list[Child]:
        return [c for c in self.rows.values() if c.class_id == class_id]


class MemJournal:
    def __init__(self, tables: dict[str, dict[Any, Any]]) -> None:
        self.t = tables

    def save_attendance(self, entry: AttendanceEntry) -> AttendanceEntry | None:
        key = (entry.learner_id, entry.day, entry.lesson)
        previous = self.t["attendance"].get(key)
        self.t["attendance"][key] = entry
        return previous

    def attendance(self, learner_id: str, first: date, last: date) -> list[AttendanceEntry]:
        return sorted((e for (lrn, day, _), e in self.t["attendance"].items() if lrn == learner_id
                       and first <= day <= last), key=lambda e: (e.day, e.lesson))

    def save_mark(self, mark: Mark) -> bool:
        key = (mark.assessment_id, mark.learner_id)
        new = key not in self.t["marks"]
        self.t["marks"][key] = mark
        return new

    def marks(self, learner_id: str) -> list[Mark]:
        return sorted((m for m in self.t["marks"].values() if m.learner_id == learner_id), key=lambda m: m.held_on)

    def save_grade(self, grade: Grade) -> None:
        self.t["grades"][(grade.learner_id, grade.subject_code, grade.school_year, grade.term)] = grade

    def grades(self, learner_id: str) -> list[Grade]:
        return [g for g in self.t["grades"].values() if g.learner_id == learner_id]

    def save_homework(self, homework: Homework) -> None:
        self.t["homework"][homework.homework_id] = homework

    def homework(self, class_id: str, due_from: date) -> list[Homework]:
        return sorted((h for h in self.t["homework"].values() if h.class_id == class_id and h.due_on >= due_from),
                      key=lambda h: (h.due_on, h.subject_code))

    def save_measurement(self, measurement: Measurement) -> None:
        self.t["growth"][measurement.measurement_id] = measurement

    def measurements(self, learner_id: str) -> list[Measurement]:
        return sorted((m for m in self.t["growth"].values() if m.learner_id == learner_id),
                      key=lambda m: m.measured_on)

    def save_note(self, note: DevelopmentNote) -> None:
        self.t["notes"][note.observation_id] = note

    def notes(self, learner_id: str) -> list[DevelopmentNote]:
        return sorted((n for n in self.t["notes"].values() if n.learner_id == learner_id),
                      key=lambda n: n.observed_on, reverse=True)


class MemSchools:
    def __init__(self, tables: dict[str, dict[Any, Any]]) -> None:
        self.t = tables

    def class_info(self, class_id: str) -> ClassInfo | None:
        return self.t["classes"].get(class_id)

    def save_class(self, info: ClassInfo) -> None:
        self.t["classes"][info.class_id] = info

    def school(self, school_id: str) -> SchoolInfo | None:
        return self.t["schools"].get(school_id)

    def save_school(self, info: SchoolInfo) -> None:
        self.t["schools"][info.school_id] = info

    def timetable(self, class_id: str) -> list[Lesson]:
        return list(self.t["timetables"].get(class_id, []))

    def save_timetable(self, class_id: str, lessons: list[Lesson]) -> None:
        self.t["timetables"][class_id] = sorted(lessons, key=lambda x: (x.weekday, x.period))


class MemThreads(_Table):
    def get(self, thread_id: str) -> Thread | None:
        return self.rows.get(thread_id)

    def find(self, learner_id: str, guardian_account_id: str, teacher_account_id: str) -> Thread | None:
        return next((t for t in self.rows.values() if (t.learner_id, t.guardian_account_id, t.teacher_account_id)
                     == (learner_id, guardian_account_id, teacher_account_id)), None)

    def for_guardian(self, account_id: str, learner_id: str) -> list[Thread]:
        return self._sorted(t for t in self.rows.values()
                            if t.guardian_account_id == account_id and t.learner_id == learner_id)

    def for_teacher(self, account_id: str) -> list[Thread]:
        return self._sorted(t for t in self.rows.values() if t.teacher_account_id == account_id)

    def save(self, thread: Thread) -> None:
        self.rows[thread.thread_id] = thread

    def add_message(self, message: Message) -> None:
        """Messages live in the thread object here (``Thread.post`` appends them)."""

    @staticmethod
    def _sorted(found: Any) -> list[Thread]:
        return sorted(found, key=lambda t: t.last_message_at, reverse=True)


class MemConsultations(_Table):
    def get(self, consultation_id: str) -> Consultation | None:
        return self.rows.get(consultation_id)

    def for_guardian(self, account_id: str, learner_id: str) -> list[Consultation]:
        return [c for c in self.rows.values() if c.guardian_account_id == account_id and c.learner_id == learner_id]

    def for_teacher(self, account_id: str) -> list[Consultation]:
        return [c for c in self.rows.values() if c.teacher_account_id == account_id]

    def save(self, consultation: Consultation) -> None:
        self.rows[consultation.consultation_id] = consultation


class MemPreferences(_Table):
    def get(self, account_id: str) -> Preferences:
        return self.rows.get(account_id) or Preferences(account_id)

    def save(self, preferences: Preferences) -> None:
        self.rows[preferences.account_id] = preferences


class MemReceipts(_Table):
    def save(self, receipt: Receipt) -> None:
        current = self.rows.get(receipt.key)
        if current is None or current.updated_at <= receipt.updated_at:
            self.rows[receipt.key] = receipt

    def for_account(self, account_id: str, limit: int = 50) -> list[Receipt]:
        mine = [r for r in self.rows.values() if r.account_id == account_id]
        return sorted(mine, key=lambda r: r.updated_at, reverse=True)[:limit]


class MemoryUnitOfWork:
    def __init__(self, state: MemoryState | None = None) -> None:
        self.state = state or MemoryState()
        self.commits = 0

    def __enter__(self) -> MemoryUnitOfWork:
        self._work = copy.deepcopy(self.state.tables)
        self._events: list[Event] = []
        self._notifications: list[NotificationRequest] = []
        t = self._work
        self.guardians, self.links, self.claims = MemGuardians(t["guardians"]), MemLinks(t["links"]), \
            MemClaims(t["claims"])
        self.children, self.journal, self.schools = MemChildren(t["children"]), MemJournal(t), MemSchools(t)
        self.threads, self.consultations = MemThreads(t["threads"]), MemConsultations(t["consultations"])
        self.preferences, self.receipts = MemPreferences(t["preferences"]), MemReceipts(t["receipts"])
        return self

    def __exit__(self, *args: object) -> None:
        self._work = {}

    def publish(self, event: Event) -> None:
        self._events.append(event)

    def notify(self, request: NotificationRequest) -> None:
        self._notifications.append(request)

    def commit(self) -> None:
        self.state.tables = self._work
        self.state.events += self._events
        self.state.notifications += self._notifications
        self._events, self._notifications = [], []
        self.commits += 1
        self.__enter__()  # keep working after a commit, on the committed state
