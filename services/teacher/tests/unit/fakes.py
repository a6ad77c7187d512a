"""In-memory implementations of the repository ports and the unit of work (no database, no sockets)."""

from __future__ import annotations

import copy
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from teacher.adapters.repository import (
    AttendanceRepository,
    FeedbackCount,
    FeedbackRepository,
    GradeRepository,
    JournalRepository,
    KindergartenRepository,
    RosterRepository,
)
from teacher.domain.attendance import AttendanceSheet
from teacher.domain.events import Event
from teacher.domain.feedback import Feedback, FeedbackStatus
from teacher.domain.gradebook import GradeEntry, GradeSheet, SheetStatus
from teacher.domain.grading import Assessment, Mark
from teacher.domain.journal import Homework, LessonTopic
from teacher.domain.kindergarten import DevelopmentObservation, GrowthMeasurement
from teacher.domain.reference import AttendanceMode
from teacher.domain.rosters import Assignment, ClassInfo, ClassRoster, Enrolment
from teacher.service_layer.unit_of_work import AbstractUnitOfWork


@dataclass
class Store:
    """What a committed database would hold."""

    classes: dict[str, ClassInfo] = field(default_factory=dict)
    enrolments: list[Enrolment] = field(default_factory=list)
    assignments: dict[str, Assignment] = field(default_factory=dict)
    sheets: dict[str, AttendanceSheet] = field(default_factory=dict)
    modes: dict[tuple[str, str], AttendanceMode] = field(default_factory=dict)
    assessments: dict[str, Assessment] = field(default_factory=dict)
    marks: dict[tuple[str, str], Mark] = field(default_factory=dict)
    grade_sheets: dict[str, GradeSheet] = field(default_factory=dict)
    homework: dict[str, Homework] = field(default_factory=dict)
    topics: dict[tuple[str, date, int], LessonTopic] = field(default_factory=dict)
    measurements: list[GrowthMeasurement] = field(default_factory=list)
    observations: list[DevelopmentObservation] = field(default_factory=list)
    feedback: dict[str, Feedback] = field(default_factory=dict)
    outbox: list[Event] = field(default_factory=list)


class FakeRosters(RosterRepository):
    def __init__(self, store: Store) -> None:
        self.store = store

    def class_info(self, class_id: str) -> ClassInfo | None:
        return self.store.classes.get(class_id)

    def save_class(self, info: ClassInfo) -> None:
        self.store.classes[info.class_id] = info

    def roster(self, class_id: str) -> ClassRoster | None:
        info = self.store.classes.get(class_id)
        if info is None:
            return None
        return ClassRoster(info, [e for e in self.store.enrolments if e.class_id == class_id],
                           [a for a in self.store.assignments.values() if a.class_id == class_id])

    def rosters(self, class_ids: Iterable[str]) -> list[ClassRoster]:
        return [r for c in class_ids if (r := self.roster(c)) is not None]

    def classes_with_learners(self, day: date, *, school_id: str | None = None,
                              aimag: str | None = None) -> list[tuple[ClassInfo, int]]:
        chosen = [c for c in self.store.classes.values() if (school_id is None or c.school_id == school_id)
                  and (aimag is None or c.aimag == aimag)]
        counted = [(c, len({e.learner_id for e in self.store.enrolments if e.class_id == c.class_id
                            and e.active_on(day)})) for c in chosen]
        return [(c, n) for c, n in counted if n]

    def school_aimag(self, school_id: str) -> str | None:
        return next((c.aimag for c in self.store.classes.values() if c.school_id == school_id and c.aimag), None)

    def enrolments_of_learner(self, learner_id: str) -> list[Enrolment]:
        return [e for e in self.store.enrolments if e.learner_id == learner_id]

    def add_enrolment(self, enrolment: Enrolment) -> None:
        self.store.enrolments.append(enrolment)

    def replace_enrolment(self, old: Enrolment, new: Enrolment) -> None:
        self.store.enrolments[self.store.enrolments.index(old)] = new

    def assignment(self, assignment_id: str) -> Assignment | None:
        return self.store.assignments.get(assignment_id)

    def save_assignment(self, assignment: Assignment) -> None:
        self.store.assignments[assignment.assignment_id] = assignment


class FakeAttendance(AttendanceRepository):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def get(self, sheet_id: str) -> AttendanceSheet | None:
        return self.track(self.store.sheets.get(sheet_id))

    def find(self, class_id: str, day: date, lesson: int) -> AttendanceSheet | None:
        return self.track(next((s for s in self.store.sheets.values()
                                if (s.class_id, s.day, s.lesson) == (class_id, day, lesson)), None))

    def add(self, sheet: AttendanceSheet) -> None:
        self.store.sheets[sheet.id] = self.track(sheet)

    def save(self, sheet: AttendanceSheet) -> None:
        self.store.sheets[sheet.id] = self.track(sheet)

    def of_class(self, class_id: str, first: date, last: date) -> list[AttendanceSheet]:
        return [s for s in self.store.sheets.values() if s.class_id == class_id and first <= s.day <= last]

    def marked_classes(self, day: date, class_ids: Iterable[str]) -> set[str]:
        wanted = set(class_ids)
        return {s.class_id for s in self.store.sheets.values() if s.day == day and s.class_id in wanted}

    def codes_of_learner(self, learner_id: str) -> list[tuple[str, date, int, str]]:
        return [(s.class_id, s.day, s.lesson, s.current[learner_id]) for s in self.store.sheets.values()
                if learner_id in s.current]

    def mode_override(self, school_id: str, level: str) -> AttendanceMode | None:
        return self.store.modes.get((school_id, level))

    def set_mode(self, school_id: str, level: str, mode: AttendanceMode | None) -> None:
        if mode is None:
            self.store.modes.pop((school_id, level), None)
        else:
            self.store.modes[(school_id, level)] = mode


class FakeGrades(GradeRepository):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def add_assessment(self, assessment: Assessment) -> None:
        self.store.assessments[assessment.id] = assessment

    def assessment(self, assessment_id: str) -> Assessment | None:
        return self.store.assessments.get(assessment_id)

    def assessments(self, class_id: str, subject_code: str, school_year: str,
                    term: int | None = None) -> list[Assessment]:
        return [a for a in self.store.assessments.values() if (a.class_id, a.subject_code, a.school_year)
                == (class_id, subject_code, school_year) and term in (None, a.term)]

    def marks(self, assessment_ids: Iterable[str]) -> list[Mark]:
        wanted = set(assessment_ids)
        return [m for m in self.store.marks.values() if m.assessment_id in wanted]

    def save_mark(self, mark: Mark) -> None:
        self.store.marks[(mark.assessment_id, mark.learner_id)] = mark

    def sheet(self, class_id: str, subject_code: str, school_year: str, term: int) -> GradeSheet | None:
        return self.track(next((s for s in self.store.grade_sheets.values() if (
            s.where.class_id, s.subject_code, s.school_year, s.term) == (class_id, subject_code, school_year, term)),
            None))

    def get_sheet(self, sheet_id: str) -> GradeSheet | None:
        return self.track(self.store.grade_sheets.get(sheet_id))

    def add_sheet(self, sheet: GradeSheet) -> None:
        self.store.grade_sheets[sheet.id] = self.track(sheet)

    def save_sheet(self, sheet: GradeSheet) -> None:
        self.store.grade_sheets[sheet.id] = self.track(sheet)

    def sheets_of_school(self, school_id: str, status: SheetStatus) -> list[GradeSheet]:
        return [s for s in self.store.grade_sheets.values() if s.where.school_id == school_id and s.status is status]

    def sheets_of_class(self, class_id: str, school_year: str) -> list[GradeSheet]:
        return [s for s in self.store.grade_sheets.values()
                if s.where.class_id == class_id and s.school_year == school_year]

    def approved_of_learner(self, learner_id: str) -> list[tuple[GradeSheet, GradeEntry]]:
        return [(s, s.entries[learner_id]) for s in self.store.grade_sheets.values()
                if s.status is SheetStatus.APPROVED and learner_id in s.entries]


class FakeJournal(JournalRepository):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def add_homework(self, homework: Homework) -> None:
        self.store.homework[homework.id] = self.track(homework)

    def homework_of_class(self, class_id: str, due_from: date) -> list[Homework]:
        return [h for h in self.store.homework.values() if h.where.class_id == class_id and h.due_on >= due_from]

    def topic(self, class_id: str, day: date, lesson: int) -> LessonTopic | None:
        return self.store.topics.get((class_id, day, lesson))

    def save_topic(self, topic: LessonTopic) -> None:
        self.store.topics[(topic.where.class_id, topic.day, topic.lesson)] = topic

    def topics_of_class(self, class_id: str, first: date, last: date) -> list[LessonTopic]:
        return [t for (c, d, _), t in self.store.topics.items() if c == class_id and first <= d <= last]


class FakeKindergarten(KindergartenRepository):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def add_measurement(self, measurement: GrowthMeasurement) -> None:
        self.store.measurements.append(self.track(measurement))

    def measurements(self, learner_id: str) -> list[GrowthMeasurement]:
        return sorted((m for m in self.store.measurements if m.learner_id == learner_id),
                      key=lambda m: m.measured_on)

    def add_observation(self, observation: DevelopmentObservation) -> None:
        self.store.observations.append(self.track(observation))

    def observations(self, learner_id: str) -> list[DevelopmentObservation]:
        return [o for o in self.store.observations if o.learner_id == learner_id]


class FakeFeedback(FeedbackRepository):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store

    def add(self, item: Feedback) -> None:
        self.store.feedback[item.id] = self.track(item)

    def get(self, feedback_id: str) -> Feedback | None:
        return self.track(self.store.feedback.get(feedback_id))

    def save(self, item: Feedback) -> None:
        self.store.feedback[item.id] = self.track(item)

    def of_sender(self, account_id: str) -> list[Feedback]:
        return self._newest(f for f in self.store.feedback.values() if f.sender_id == account_id)

    def inbox(self, status: FeedbackStatus | None = None) -> list[Feedback]:
        return self._newest(f for f in self.store.feedback.values() if status in (None, f.status))

    def forwarded_to(self, kind: str, ids: Iterable[str]) -> list[Feedback]:
        wanted = set(ids)
        return self._newest(f for f in self.store.feedback.values()
                            if f.forwarded_to_kind == kind and f.forwarded_to_id in wanted)

    def counts(self) -> list[FeedbackCount]:
        keys = [(f.category, f.aimag, f.status) for f in self.store.feedback.values()]
        return [FeedbackCount(c, a, s, keys.count((c, a, s))) for c, a, s in sorted(set(keys), key=str)]

    @staticmethod
    def _newest(items: Iterable[Feedback]) -> list[Feedback]:
        return sorted(items, key=lambda f: f.created_at, reverse=True)


class FakeUnitOfWork(AbstractUnitOfWork):
    """Works on a copy of the store; ``commit`` makes the copy the store and appends the events to its outbox."""

    def __init__(self, holder: dict[str, Store]) -> None:
        self.holder = holder
        self.commits = 0

    def __enter__(self) -> FakeUnitOfWork:
        super().__enter__()
        self.working = copy.deepcopy(self.holder["store"])
        self.rosters = FakeRosters(self.working)
        self.attendance = FakeAttendance(self.working)
        self.grades = FakeGrades(self.working)
        self.journal = FakeJournal(self.working)
        self.kindergarten = FakeKindergarten(self.working)
        self.feedback = FakeFeedback(self.working)
        return self

    def _stage(self, events: list[Event]) -> None:
        self.working.outbox.extend(events)

    def _commit(self) -> None:
        self.holder["store"] = copy.deepcopy(self.working)
        self.commits += 1

    def rollback(self) -> None:
        pass  # the working copy is dropped with the unit of work


def copy_of(value: Any, **changes: Any) -> Any:
    return replace(value, **changes)
