"""Repository ports: what the service layer asks of storage. SQL adapters implement them (``sql_*.py``); the
unit tests implement them in memory.

Repositories remember the aggregates they handed out or took in (``seen``) so the unit of work can collect
their new events at commit.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from teacher.domain.attendance import AttendanceSheet
from teacher.domain.feedback import Feedback, FeedbackStatus
from teacher.domain.gradebook import GradeEntry, GradeSheet, SheetStatus
from teacher.domain.grading import Assessment, Mark
from teacher.domain.journal import Homework, LessonTopic
from teacher.domain.kindergarten import DevelopmentObservation, GrowthMeasurement
from teacher.domain.reference import AttendanceMode
from teacher.domain.rosters import Assignment, ClassInfo, ClassRoster, Enrolment


class Tracking:
    def __init__(self) -> None:
        self.seen: list[Any] = []

    def track(self, aggregate: Any) -> Any:
        if aggregate is not None and all(aggregate is not s for s in self.seen):
            self.seen.append(aggregate)
        return aggregate


class RosterRepository(abc.ABC):
    @abc.abstractmethod
    def class_info(self, class_id: str) -> ClassInfo | None: ...

    @abc.abstractmethod
    def save_class(self, info: ClassInfo) -> None:
        """Insert or replace."""

    @abc.abstractmethod
    def roster(self, class_id: str) -> ClassRoster | None: ...

    @abc.abstractmethod
    def rosters(self, class_ids: Iterable[str]) -> list[ClassRoster]: ...

    @abc.abstractmethod
    def classes_with_learners(self, day: date, *, school_id: str | None = None,
                              aimag: str | None = None) -> list[tuple[ClassInfo, int]]:
        """Classes of a school or an aimag with the number of learners enrolled on ``day`` (at least one)."""

    @abc.abstractmethod
    def school_aimag(self, school_id: str) -> str | None: ...

    @abc.abstractmethod
    def enrolments_of_learner(self, learner_id: str) -> list[Enrolment]: ...

    @abc.abstractmethod
    def add_enrolment(self, enrolment: Enrolment) -> None: ...

    @abc.abstractmethod
    def replace_enrolment(self, old: Enrolment, new: Enrolment) -> None: ...

    @abc.abstractmethod
    def assignment(self, assignment_id: str) -> Assignment | None: ...

    @abc.abstractmethod
    def save_assignment(self, assignment: Assignment) -> None:
        """Insert or replace."""


class AttendanceRepository(Tracking, abc.ABC):
    @abc.abstractmethod
    def get(self, sheet_id: str) -> AttendanceSheet | None: ...

    @abc.abstractmethod
    def find(self, class_id: str, day: date, lesson: int) -> AttendanceSheet | None: ...

    @abc.abstractmethod
    def add(self, sheet: AttendanceSheet) -> None: ...

    @abc.abstractmethod
    def save(self, sheet: AttendanceSheet) -> None:
        """Store the corrections made since the sheet was loaded."""

    @abc.abstractmethod
    def of_class(self, class_id: str, first: date, last: date) -> list[AttendanceSheet]: ...

    def lessons_marked(self, class_id: str, day: date) -> list[int]:
        """The lessons (0: the whole day) of the class's sheets on the day, in order."""
        return sorted(sheet.lesson for sheet in self.of_class(class_id, day, day))

    @abc.abstractmethod
    def marked_classes(self, day: date, class_ids: Iterable[str]) -> set[str]: ...

    @abc.abstractmethod
    def codes_of_learner(self, learner_id: str) -> list[tuple[str, date, int, str]]:
        """(class id, day, lesson, current code) of every sheet the learner is on."""

    @abc.abstractmethod
    def mode_override(self, school_id: str, level: str) -> AttendanceMode | None: ...

    @abc.abstractmethod
    def set_mode(self, school_id: str, level: str, mode: AttendanceMode | None) -> None: ...


class GradeRepository(Tracking, abc.ABC):
    @abc.abstractmethod
    def add_assessment(self, assessment: Assessment) -> None: ...

    @abc.abstractmethod
    def assessment(self, assessment_id: str) -> Assessment | None: ...

    @abc.abstractmethod
    def assessments(self, class_id: str, subject_code: str, school_year: str,
                    term: int | None = None) -> list[Assessment]: ...

    @abc.abstractmethod
    def marks(self, assessment_ids: Iterable[str]) -> list[Mark]: ...

    @abc.abstractmethod
    def save_mark(self, mark: Mark) -> None:
        """Insert or replace the learner's mark for the assessment."""

    @abc.abstractmethod
    def sheet(self, class_id: str, subject_code: str, school_year: str, term: int) -> GradeSheet | None: ...

    @abc.abstractmethod
    def get_sheet(self, sheet_id: str) -> GradeSheet | None: ...

    @abc.abstractmethod
    def add_sheet(self, sheet: GradeSheet) -> None: ...

    @abc.abstractmethod
    def save_sheet(self, sheet: GradeSheet) -> None: ...

    @abc.abstractmethod
    def sheets_of_school(self, school_id: str, status: SheetStatus) -> list[GradeSheet]: ...

    @abc.abstractmethod
    def sheets_of_class(self, class_id: str, school_year: str) -> list[GradeSheet]: ...

    @abc.abstractmethod
    def approved_of_learner(self, learner_id: str) -> list[tuple[GradeSheet, GradeEntry]]: ...


class JournalRepository(Tracking, abc.ABC):
    @abc.abstractmethod
    def add_homework(self, homework: Homework) -> None: ...

    @abc.abstractmethod
    def homework_of_class(self, class_id: str, due_from: date) -> list[Homework]: ...

    @abc.abstractmethod
    def topic(self, class_id: str, day: date, lesson: int) -> LessonTopic | None: ...

    @abc.abstractmethod
    def save_topic(self, topic: LessonTopic) -> None:
        """Insert or replace (one topic per class, day and lesson)."""

    @abc.abstractmethod
    def topics_of_class(self, class_id: str, first: date, last: date) -> list[LessonTopic]: ...


class KindergartenRepository(Tracking, abc.ABC):
    @abc.abstractmethod
    def add_measurement(self, measurement: GrowthMeasurement) -> None: ...

    @abc.abstractmethod
    def measurements(self, learner_id: str) -> list[GrowthMeasurement]:
        """Oldest first."""

    @abc.abstractmethod
    def add_observation(self, observation: DevelopmentObservation) -> None: ...

    @abc.abstractmethod
    def observations(self, learner_id: str) -> list[DevelopmentObservation]: ...


@dataclass(frozen=True)
class FeedbackCount:
    category: str
    aimag: str | None
    status: FeedbackStatus
    count: int


class FeedbackRepository(Tracking, abc.ABC):
    @abc.abstractmethod
    def add(self, item: Feedback) -> None: ...

    @abc.abstractmethod
    def get(self, feedback_id: str) -> Feedback | None: ...

    @abc.abstractmethod
    def save(self, item: Feedback) -> None: ...

    @abc.abstractmethod
    def of_sender(self, account_id: str) -> list[Feedback]:
        """Newest first."""

    @abc.abstractmethod
    def inbox(self, status: FeedbackStatus | None = None) -> list[Feedback]:
        """Everything (the ministry's inbox), newest first."""

    @abc.abstractmethod
    def forwarded_to(self, kind: str, ids: Iterable[str]) -> list[Feedback]: ...

    @abc.abstractmethod
    def counts(self) -> list[FeedbackCount]: ...
