"""Attendance through the handlers: one form marks a class, re-sending is harmless, corrections keep history."""

from __future__ import annotations

import re
from datetime import date

import pytest
from teacher.domain import events
from teacher.domain.errors import Conflict, Invalid, NotPermitted, Refused
from teacher.service_layer import commands
from teacher.service_layer.views import attendance as views

from ..conftest import (
    IN_BREAK,
    INDEPENDENCE_DAY,
    LATE_JOINER,
    LEAVER,
    MANAGER,
    MINISTRY,
    MONDAY,
    OTHER_TEACHER,
    SATURDAY,
    SCHOOL,
    SIXTH,
    TEACHER,
    TUESDAY,
    UB,
    UB_OFFICER,
)
from .conftest import Journal


def mark(day: date = MONDAY, learners: tuple[str, ...] = SIXTH, *, form: str = "form-1", class_id: str = "6a",
         lesson: int = 1, subject: str = "math", actor=TEACHER, **codes: str) -> commands.MarkAttendance:
    rows = tuple((learner, codes.get(learner, "present")) for learner in learners)
    return commands.MarkAttendance(actor, form, class_id, day, rows, lesson, subject)


def daily(class_id: str, learners: tuple[str, ...], day: date = MONDAY, form: str = "form-d",
          **codes: str) -> commands.MarkAttendance:
    return mark(day, learners, form=form, class_id=class_id, lesson=0, subject="", **codes)


def test_one_submission_marks_the_whole_class_and_publishes_one_event(journal: Journal) -> None:
    sheet = journal.handle(mark(L2="late", L3="sick"))
    assert sheet.current == {"L1": "present", "L2": "late", "L3": "sick", "L4": "present"}
    (event,) = journal.events(events.AttendanceMarked)
    assert (event.where.class_id, event.where.school_id, event.where.aimag) == ("6a", SCHOOL, UB)
    assert (event.day, event.lesson, event.subject_code, event.marked_by) == (MONDAY, 1, "math", TEACHER.account_id)
    assert [(m.learner_id, m.code, m.category) for m in event.marks] == [
        ("L1", "present", "present"), ("L2", "late", "present"), ("L3", "sick", "excused_absence"),
        ("L4", "present", "present")]


def test_sending_the_same_form_again_creates_no_duplicate(journal: Journal) -> None:
    first = journal.handle(mark(L2="unexcused"))
    again = journal.handle(mark(L2="unexcused"))
    assert again.id == first.id
    assert len(journal.store.sheets) == 1
    assert len(journal.events(events.AttendanceMarked)) == 1


def test_a_second_different_form_for_the_same_lesson_is_a_conflict_pointing_to_corrections(journal: Journal) -> None:
    first = journal.handle(mark())
    with pytest.raises(Conflict) as exc:
        journal.handle(mark(form="form-2", L1="sick"))
    assert exc.value.code == "already_marked" and exc.value.details["sheet_id"] == first.id
    assert journal.store.sheets[first.id].current["L1"] == "present"


def test_another_lesson_of_the_same_day_is_its_own_sheet(journal: Journal) -> None:
    journal.handle(mark())
    journal.handle(mark(form="form-2", lesson=2, subject="mongolian", L4="unexcused"))
    assert sorted(s.lesson for s in journal.store.sheets.values()) == [1, 2]


def test_a_correction_keeps_the_original_mark_and_who_changed_it(journal: Journal, clock) -> None:
    sheet = journal.handle(mark(L3="unexcused"))
    clock.advance(hours=3)
    corrected = journal.handle(commands.CorrectAttendance(TEACHER, sheet.id, (("L3", "excused"),),
                                                         "Эцэг эх нь тодорхойлолт авчирсан"))
    assert corrected.original["L3"] == "unexcused" and corrected.current["L3"] == "excused"
    (correction,) = corrected.corrections
    assert (correction.previous_code, correction.code, correction.corrected_by) == ("unexcused", "excused",
                                                                                     TEACHER.account_id)
    assert correction.corrected_at == clock.now
    (event,) = journal.events(events.AttendanceCorrected)
    assert [(c.learner_id, c.previous_code, c.code, c.category) for c in event.changes] == [
        ("L3", "unexcused", "excused", "excused_absence")]


def test_a_correction_that_changes_nothing_publishes_nothing(journal: Journal) -> None:
    sheet = journal.handle(mark())
    journal.handle(commands.CorrectAttendance(TEACHER, sheet.id, (("L1", "present"),)))
    assert journal.events(events.AttendanceCorrected) == []
    assert journal.store.sheets[sheet.id].corrections == []


def test_correcting_a_learner_who_is_not_on_the_sheet_is_refused(journal: Journal) -> None:
    sheet = journal.handle(mark())
    with pytest.raises(Refused) as exc:
        journal.handle(commands.CorrectAttendance(TEACHER, sheet.id, (("B1", "sick"),)))
    assert exc.value.code == "learner_not_on_sheet" and exc.value.details["learner_ids"] == ["B1"]


def test_marking_a_class_outside_the_teachers_classes_is_refused(journal: Journal) -> None:
    with pytest.raises(NotPermitted) as exc:
        journal.handle(mark(actor=OTHER_TEACHER))
    assert exc.value.code == "not_your_class" and "6А" in exc.value.message
    assert journal.store.sheets == {}


def test_a_class_without_a_teaching_assignment_on_that_day_is_not_the_teachers(journal: Journal) -> None:
    with pytest.raises(NotPermitted, match="no teaching assignment on 2026-08-31"):
        journal.handle(mark(date(2026, 8, 31)))


def test_a_school_admin_cannot_mark_attendance(journal: Journal) -> None:
    with pytest.raises(NotPermitted):
        journal.handle(mark(actor=MANAGER))


def test_a_learner_who_left_the_class_is_refused_by_name(journal: Journal) -> None:
    with pytest.raises(Refused) as exc:
        journal.handle(mark(learners=(*SIXTH, LEAVER)))
    assert exc.value.code == "learner_not_enrolled" and exc.value.details["learner_ids"] == [LEAVER]
    assert exc.value.details["fields"][0]["field"] == "marks[4].learner_id"


def test_a_learner_is_marked_only_from_the_day_they_joined(journal: Journal) -> None:
    with pytest.raises(Refused, match=LATE_JOINER):
        journal.handle(mark(MONDAY, (*SIXTH, LATE_JOINER)))
    sheet = journal.handle(mark(TUESDAY, (*SIXTH, LATE_JOINER), form="form-tue"))
    assert LATE_JOINER in sheet.current


def test_leaving_out_an_enrolled_learner_is_refused_naming_them(journal: Journal) -> None:
    with pytest.raises(Invalid) as exc:
        journal.handle(mark(learners=("L1", "L2", "L3")))
    assert exc.value.code == "marks_missing" and exc.value.details["learner_ids"] == ["L4"]


def test_an_unknown_code_names_its_row(journal: Journal) -> None:
    with pytest.raises(Invalid) as exc:
        journal.handle(mark(L2="absent"))
    assert exc.value.details["fields"][0]["field"] == "marks[1].code"


@pytest.mark.parametrize("day, reason", [
    (SATURDAY, "weekend"), (INDEPENDENCE_DAY, "holiday (Independence Day)"), (IN_BREAK, "break between terms"),
    (date(2027, 6, 21), "not in school year 2026-2027")])
def test_a_non_school_day_is_refused_with_the_reason(journal: Journal, clock, day: date, reason: str) -> None:
    clock.set_day(max(day, TUESDAY))
    with pytest.raises(Refused, match=re.escape(reason)) as exc:
        journal.handle(mark(day))
    assert exc.value.code == "not_a_school_day"


def test_grades_one_and_two_finish_earlier_than_the_rest(journal: Journal, reference) -> None:
    year = reference.calendar.year("2026-2027")
    assert year.non_school_reason(date(2027, 6, 2), "1") is not None
    assert year.non_school_reason(date(2027, 6, 2), "6") is None


def test_a_future_day_cannot_be_marked(journal: Journal) -> None:
    with pytest.raises(Refused) as exc:
        journal.handle(mark(date(2026, 12, 2)))
    assert exc.value.code == "date_in_future"


def test_grade_six_is_marked_per_lesson_and_grade_three_once_a_day(journal: Journal) -> None:
    with pytest.raises(Invalid) as exc:
        journal.handle(mark(lesson=0, subject=""))
    assert exc.value.code == "lesson_required"
    with pytest.raises(Invalid) as exc:
        journal.handle(mark(learners=("P1", "P2"), class_id="3b", lesson=1, subject="primary"))
    assert exc.value.code == "daily_attendance_only"
    assert journal.handle(daily("3b", ("P1", "P2"), P2="sick")).lesson == 0


def test_a_school_can_switch_a_grade_to_daily_attendance(journal: Journal) -> None:
    journal.handle(commands.SetAttendanceMode(MANAGER, SCHOOL, "6", "daily"))
    assert journal.handle(daily("6a", SIXTH)).lesson == 0
    journal.handle(commands.SetAttendanceMode(MANAGER, SCHOOL, "6", None))
    with pytest.raises(Invalid):
        journal.handle(daily("6a", SIXTH, day=TUESDAY, form="form-x"))


def test_only_the_schools_manager_changes_the_attendance_mode(journal: Journal) -> None:
    with pytest.raises(NotPermitted):
        journal.handle(commands.SetAttendanceMode(TEACHER, SCHOOL, "6", "daily"))


def test_not_yet_marked_lists_the_schools_classes_without_any_sheet_today(journal: Journal) -> None:
    journal.handle(mark(TUESDAY, (*SIXTH, LATE_JOINER), form="t"))
    unmarked = views.not_marked_in_school(MANAGER, journal.uow(), journal.context, SCHOOL)
    assert [(u.info.class_id, u.learners) for u in unmarked] == [("3b", 2), ("6b", 1), ("kg-b", 2)]


def test_not_yet_marked_per_aimag_counts_classes_by_school(journal: Journal) -> None:
    journal.handle(daily("3b", ("P1", "P2"), day=TUESDAY))
    progress = views.not_marked_in_aimag(UB_OFFICER, journal.uow(), journal.context, UB)
    assert [(p.school_id, p.expected, p.unmarked) for p in progress] == [(SCHOOL, 4, 3)]
    assert views.not_marked_in_aimag(MINISTRY, journal.uow(), journal.context, "65")[0].school_id == "school-40"
    with pytest.raises(NotPermitted):
        views.not_marked_in_aimag(UB_OFFICER, journal.uow(), journal.context, "65")


def test_not_yet_marked_is_empty_on_a_weekend(journal: Journal, clock) -> None:
    clock.set_day(SATURDAY)
    assert views.not_marked_in_school(MANAGER, journal.uow(), journal.context, SCHOOL) == []


def test_todays_classes_show_subjects_and_what_is_marked(journal: Journal) -> None:
    journal.handle(mark(TUESDAY, (*SIXTH, LATE_JOINER), form="t"))
    days = views.today(TEACHER, journal.uow(), journal.context)
    assert [(d.info.label, d.subjects, d.mode.value, d.learners, d.marked_lessons) for d in days] == [
        ("3Б", ["primary"], "daily", 2, []), ("6А", ["math", "mongolian"], "per_lesson", 5, [1]),
        ("Бэлтгэл Б", ["kindergarten"], "daily", 2, [])]


def test_the_form_defaults_everyone_to_present_then_shows_the_given_marks(journal: Journal) -> None:
    form = views.attendance_form(TEACHER, journal.uow(), journal.context, "6a", MONDAY, 1)
    assert form.marks == dict.fromkeys(SIXTH, "present") and form.sheet is None
    journal.handle(mark(L4="sick"))
    form = views.attendance_form(TEACHER, journal.uow(), journal.context, "6a", MONDAY, 1)
    assert form.marks["L4"] == "sick" and form.sheet is not None
