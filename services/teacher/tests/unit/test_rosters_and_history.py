"""The local roster read models fed by education and hr facts, and a learner's history for their teachers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from teacher.domain.errors import NotPermitted
from teacher.domain.rosters import Assignment, ClassInfo, Enrolment
from teacher.service_layer import commands
from teacher.service_layer.handlers import rosters
from teacher.service_layer.handlers.rosters import LearnerEnrolled, LearnerLeftClass
from teacher.service_layer.views import history

from ..conftest import FIRST_DAY, MANAGER, MONDAY, OTHER_TEACHER, TEACHER, UB, YEAR, assignment
from .conftest import Journal


def test_enrolling_twice_is_harmless_and_a_class_move_ends_the_old_enrolment(journal: Journal) -> None:
    with journal.uow() as uow:
        rosters.enrol(uow.rosters, LearnerEnrolled("M1", "6a", FIRST_DAY))
        rosters.enrol(uow.rosters, LearnerEnrolled("M1", "6a", FIRST_DAY))
        rosters.enrol(uow.rosters, LearnerEnrolled("M1", "6b", date(2026, 11, 2)))
        assert uow.rosters.enrolments_of_learner("M1") == [
            Enrolment("M1", "6a", FIRST_DAY, date(2026, 11, 1)), Enrolment("M1", "6b", date(2026, 11, 2))]


def test_leaving_on_a_day_ends_the_enrolment_the_day_before(journal: Journal) -> None:
    with journal.uow() as uow:
        rosters.leave(uow.rosters, LearnerLeftClass("L1", "6a", date(2026, 12, 1)))
        roster = uow.rosters.roster("6a")
    assert roster.is_enrolled("L1", MONDAY) and not roster.is_enrolled("L1", date(2026, 12, 1))


def test_an_enrolment_that_arrives_before_its_class_is_kept(journal: Journal) -> None:
    with journal.uow() as uow:
        rosters.enrol(uow.rosters, LearnerEnrolled("Z1", "7v", FIRST_DAY))
        assert uow.rosters.roster("7v") is None
        rosters.record_class(uow.rosters, ClassInfo("7v", "school-17", "7", YEAR, UB, "7В"))
        assert uow.rosters.roster("7v").learners_on(MONDAY) == ["Z1"]


def test_a_class_event_without_an_aimag_keeps_the_known_one(journal: Journal) -> None:
    with journal.uow() as uow:
        rosters.record_class(uow.rosters, ClassInfo("6a", "school-17", "6", YEAR, None, "6А"))
        assert uow.rosters.class_info("6a").aimag == UB


def test_an_unassignment_ends_teaching_after_its_last_day(journal: Journal) -> None:
    with journal.uow() as uow:
        rosters.unassign(uow.rosters, "as-1", date(2026, 11, 30), assignment("as-1", "6a", "math"))
        roster = uow.rosters.roster("6a")
    assert roster.subjects_on(MONDAY) == ["math", "mongolian"]
    assert roster.subjects_on(date(2026, 12, 1)) == ["mongolian"]


def test_an_unassignment_for_an_unknown_assignment_is_stored_ended(journal: Journal) -> None:
    fallback = Assignment("as-9", "staff-9", "6b", "school-17", "art", YEAR, FIRST_DAY)
    with journal.uow() as uow:
        rosters.unassign(uow.rosters, "as-9", date(2026, 10, 1), fallback)
        assert uow.rosters.assignment("as-9").last_day == date(2026, 10, 1)


def test_the_history_shows_approved_grades_and_attendance_by_category(journal: Journal) -> None:
    exam = journal.handle(commands.CreateAssessment(TEACHER, "6a", "math", 2, "Шалгалт", date(2026, 11, 16)))
    cells = tuple(commands.MarkInput(exam.id, x, "88") for x in ("L1", "L2", "L3", "L4"))
    journal.handle(commands.RecordMarks(TEACHER, "6a", "math", cells))
    journal.handle(commands.OverrideGrade(TEACHER, "6a", "math", YEAR, 2, "L5", "70", "Шилжиж ирсэн сурагч"))
    sheet = journal.handle(commands.SubmitGrades(TEACHER, "6a", "math", YEAR, 2))
    journal.handle(commands.ApproveGrades(MANAGER, sheet.id))
    rows = tuple((x, "sick" if x == "L1" else "present") for x in ("L1", "L2", "L3", "L4"))
    journal.handle(commands.MarkAttendance(TEACHER, "f", "6a", MONDAY, rows, 1, "math"))
    seen = history.learner_history(TEACHER, journal.uow(), journal.context, "L1")
    assert [(g.subject_code, g.term, g.percent, g.band) for g in seen.grades] == [("math", 2, Decimal("88.00"), "B")]
    assert [(a.class_id, a.counts) for a in seen.attendance] == [("6a", {"excused_absence": 1})]


def test_the_history_is_only_for_the_learners_current_teachers(journal: Journal) -> None:
    with pytest.raises(NotPermitted):
        history.learner_history(OTHER_TEACHER, journal.uow(), journal.context, "L1")
