"""Assessments, marks, term and annual grades through the handlers, with the approval flow."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from teacher.domain import events
from teacher.domain.errors import Invalid, NotPermitted, Refused
from teacher.domain.gradebook import ANNUAL, SheetStatus
from teacher.service_layer import commands
from teacher.service_layer.views import grades as views

from ..conftest import LATE_JOINER, LEAVER, MANAGER, OTHER_MANAGER, OTHER_TEACHER, SCHOOL, SIXTH, TEACHER, UB, YEAR
from .conftest import Journal

TERM_2_TEST = date(2026, 11, 16)


def assessment(journal: Journal, name: str = "Шалгалт 1", held_on: date = TERM_2_TEST, weight: str = "1",
               term: int = 2, class_id: str = "6a", subject: str = "math", actor=TEACHER):
    return journal.handle(commands.CreateAssessment(actor, class_id, subject, term, name, held_on, weight))


def record(journal: Journal, assessment_id: str, actor=TEACHER, subject: str = "math", **percents: str) -> int:
    cells = tuple(commands.MarkInput(assessment_id, learner, value) for learner, value in percents.items())
    return journal.handle(commands.RecordMarks(actor, "6a", subject, cells))


def sheet_ref(kind: type, term: int = 2, actor=TEACHER, **extra: object):
    return kind(actor, "6a", "math", YEAR, term, **extra)


def marked_term(journal: Journal, term: int = 2, held_on: date = TERM_2_TEST, **percents: str) -> str:
    exam = assessment(journal, f"Улирал {term}", held_on, term=term)
    record(journal, exam.id, **{**dict.fromkeys(SIXTH, "75"), **percents})
    return exam.id


def test_the_term_percent_is_the_weighted_mean_of_the_marks_with_its_grade(journal: Journal) -> None:
    quiz = assessment(journal, "Сорил", weight="1")
    project = assessment(journal, "Бие даалт", date(2026, 11, 23), weight="2")
    record(journal, quiz.id, L1="90", L2="59.99", L3="100", L4="45")
    record(journal, project.id, L1="60", L2="59.99", L4="80")
    grid = views.marks_grid(TEACHER, journal.uow(), journal.context, "6a", "math", 2)
    assert [a.name for a in grid.assessments] == ["Сорил", "Бие даалт"]
    assert grid.percents == {"L1": Decimal("70.00"), "L2": Decimal("59.99"), "L3": Decimal("100.00"),
                             "L4": Decimal("68.33"), "L5": None}
    assert [grid.band(x).code if grid.band(x) else None for x in (*SIXTH, LATE_JOINER)] == ["C", "F", "A", "D", None]


def test_recording_marks_publishes_one_event_per_changed_mark(journal: Journal) -> None:
    quiz = assessment(journal)
    assert record(journal, quiz.id, L1="80", L2="70") == 2
    assert record(journal, quiz.id, L1="80", L2="72.5") == 1
    published = journal.events(events.MarkRecorded)
    assert [(e.learner_id, e.percent) for e in published] == [("L1", Decimal(80)), ("L2", Decimal(70)),
                                                              ("L2", Decimal("72.5"))]
    assert (published[0].where.aimag, published[0].term, published[0].assessment_name) == (UB, 2, "Шалгалт 1")


def test_a_mark_above_one_hundred_names_the_row(journal: Journal) -> None:
    quiz = assessment(journal)
    with pytest.raises(Invalid) as exc:
        journal.handle(commands.RecordMarks(TEACHER, "6a", "math", (
            commands.MarkInput(quiz.id, "L1", "80"), commands.MarkInput(quiz.id, "L2", "180"))))
    assert exc.value.details["fields"][0]["field"] == "marks[1].percent"
    assert journal.store.marks == {}


def test_a_mark_for_a_learner_not_enrolled_on_the_assessment_day_is_refused(journal: Journal) -> None:
    quiz = assessment(journal)
    with pytest.raises(Refused) as exc:
        record(journal, quiz.id, L5="80")
    assert exc.value.code == "learner_not_enrolled" and exc.value.details["learner_ids"] == [LATE_JOINER]


def test_marks_of_a_future_assessment_wait_for_its_day(journal: Journal) -> None:
    later = assessment(journal, held_on=date(2026, 12, 10))
    with pytest.raises(Refused, match="future"):
        record(journal, later.id, L1="80")


def test_an_assessment_dated_outside_its_term_names_the_date(journal: Journal) -> None:
    with pytest.raises(Invalid) as exc:
        assessment(journal, held_on=date(2026, 10, 20), term=2)
    assert exc.value.details["fields"][0]["field"] == "held_on"


def test_a_teacher_of_another_class_cannot_add_assessments(journal: Journal) -> None:
    with pytest.raises(NotPermitted):
        assessment(journal, actor=OTHER_TEACHER)


def test_a_subject_not_taught_in_the_class_is_refused(journal: Journal) -> None:
    with pytest.raises(Refused) as exc:
        assessment(journal, subject="physics")
    assert exc.value.code == "subject_not_taught"


def test_kindergarten_groups_get_no_marks(journal: Journal) -> None:
    with pytest.raises(Refused) as exc:
        assessment(journal, class_id="kg-b", subject="kindergarten")
    assert exc.value.code == "no_grading_scale"


def test_an_override_needs_a_reason_and_keeps_the_computed_grade(journal: Journal) -> None:
    marked_term(journal, L2="58")
    with pytest.raises(Invalid) as exc:
        journal.handle(sheet_ref(commands.OverrideGrade, learner_id="L2", percent="60", reason=" "))
    assert exc.value.code == "reason_required"
    sheet = journal.handle(sheet_ref(commands.OverrideGrade, learner_id="L2", percent="60",
                                     reason="Нэмэлт даалгавар гүйцэтгэсэн"))
    entry = sheet.entries["L2"]
    assert (entry.computed, entry.override, entry.effective, entry.overridden_by) == (
        Decimal("58.00"), Decimal(60), Decimal(60), TEACHER.account_id)


def test_approval_publishes_every_learners_term_grade(journal: Journal) -> None:
    marked_term(journal, L1="90", L2="58")
    journal.handle(sheet_ref(commands.OverrideGrade, learner_id="L2", percent="60", reason="Давтан шалгалт өгсөн"))
    sheet = _submitted_with_everyone(journal)
    assert sheet.status is SheetStatus.SUBMITTED and journal.events(events.TermGradePublished) == []
    queue = views.approval_queue(MANAGER, journal.uow(), SCHOOL)
    assert [(p.info.label, p.sheet.subject_code, p.sheet.term) for p in queue] == [("6А", "math", 2)]
    journal.handle(commands.ApproveGrades(MANAGER, sheet.id))
    published = journal.events(events.TermGradePublished)
    assert [(e.learner_id, e.percent, e.band, e.overridden) for e in published] == [
        ("L1", Decimal("90.00"), "A", False), ("L2", Decimal(60), "D", True), ("L3", Decimal("75.00"), "C", False),
        ("L4", Decimal("75.00"), "C", False), ("L5", Decimal(70), "C", True)]
    assert {(e.scale, e.approved_by, e.where.school_id) for e in published} == {("secondary", MANAGER.account_id,
                                                                                 SCHOOL)}


def test_a_sheet_with_a_learner_without_marks_cannot_be_submitted(journal: Journal) -> None:
    exam = assessment(journal)
    record(journal, exam.id, L1="80", L2="80", L3="80")
    with pytest.raises(Refused) as exc:
        journal.handle(sheet_ref(commands.SubmitGrades))
    assert exc.value.code == "grades_incomplete" and exc.value.details["learner_ids"] == ["L4", "L5"]


def test_a_teacher_cannot_approve_and_another_schools_manager_cannot_either(journal: Journal) -> None:
    marked_term(journal)
    sheet = _submitted_with_everyone(journal)
    for actor in (TEACHER, OTHER_MANAGER):
        with pytest.raises(NotPermitted) as exc:
            journal.handle(commands.ApproveGrades(actor, sheet.id))
        assert exc.value.code == "not_training_manager"
    assert journal.store.grade_sheets[sheet.id].status is SheetStatus.SUBMITTED


def _submitted_with_everyone(journal: Journal):
    journal.handle(sheet_ref(commands.OverrideGrade, learner_id="L5", percent="70", reason="Шилжиж ирсэн сурагч"))
    return journal.handle(sheet_ref(commands.SubmitGrades))


def test_submitted_grades_lock_the_terms_marks_until_returned(journal: Journal) -> None:
    exam_id = marked_term(journal)
    sheet = _submitted_with_everyone(journal)
    with pytest.raises(Refused) as exc:
        record(journal, exam_id, L1="95")
    assert exc.value.code == "grades_submitted"
    with pytest.raises(Invalid):
        journal.handle(commands.ReturnGrades(MANAGER, sheet.id, ""))
    returned = journal.handle(commands.ReturnGrades(MANAGER, sheet.id, "L1-ийн дүнг шалгана уу"))
    assert (returned.status, returned.return_reason) == (SheetStatus.DRAFT, "L1-ийн дүнг шалгана уу")
    assert record(journal, exam_id, L1="95") == 1


def test_approved_term_grades_no_longer_change(journal: Journal) -> None:
    exam_id = marked_term(journal)
    sheet = _submitted_with_everyone(journal)
    journal.handle(commands.ApproveGrades(MANAGER, sheet.id))
    with pytest.raises(Refused) as exc:
        record(journal, exam_id, L1="95")
    assert exc.value.code == "grades_approved"
    with pytest.raises(Refused):
        journal.handle(sheet_ref(commands.OverrideGrade, learner_id="L1", percent="99", reason="Алдаа засна"))


def test_approving_a_draft_is_refused(journal: Journal) -> None:
    marked_term(journal)
    sheet = journal.handle(sheet_ref(commands.OverrideGrade, learner_id="L5", percent="70", reason="Шилжиж ирсэн"))
    with pytest.raises(Refused) as exc:
        journal.handle(commands.ApproveGrades(MANAGER, sheet.id))
    assert exc.value.code == "not_submitted"


TERM_DAYS = {1: date(2026, 10, 5), 2: TERM_2_TEST, 3: date(2027, 2, 15), 4: date(2027, 5, 10)}


def approve_all_terms(journal: Journal, clock, percents: dict[int, str]) -> None:
    clock.set_day(date(2027, 6, 14))
    for term, held_on in TERM_DAYS.items():
        exam = assessment(journal, f"Улирал {term}", held_on, term=term)
        record(journal, exam.id, **{learner: percents[term] for learner in SIXTH},
               **({LATE_JOINER: percents[term]} if held_on > date(2026, 12, 1) else {}),
               **({LEAVER: percents[term]} if term == 1 else {}))
        if term == 2:  # the late joiner is in the class at the end of term 2 but missed its test
            journal.handle(sheet_ref(commands.OverrideGrade, term, learner_id=LATE_JOINER, percent=percents[term],
                                     reason="Өмнөх сургуулийн дүн"))
        sheet = journal.handle(sheet_ref(commands.SubmitGrades, term))
        journal.handle(commands.ApproveGrades(MANAGER, sheet.id))


def test_annual_grades_need_every_term_approved_first(journal: Journal, clock) -> None:
    clock.set_day(date(2027, 6, 14))
    with pytest.raises(Refused) as exc:
        journal.handle(sheet_ref(commands.SubmitGrades, ANNUAL))
    assert exc.value.code == "terms_not_approved" and exc.value.details["terms"] == [1, 2, 3, 4]


def test_approved_annual_grades_are_final_and_published(journal: Journal, clock) -> None:
    approve_all_terms(journal, clock, {1: "80", 2: "70", 3: "90", 4: "100"})
    annual = journal.handle(sheet_ref(commands.SubmitGrades, ANNUAL))
    assert annual.entries["L1"].computed == Decimal("85.00")
    journal.handle(commands.ApproveGrades(MANAGER, annual.id))
    finals = journal.events(events.AnnualGradeFinalized)
    assert [(e.learner_id, e.percent, e.band, e.term) for e in finals][:2] == [
        ("L1", Decimal("85.00"), "B", ANNUAL), ("L2", Decimal("85.00"), "B", ANNUAL)]
    assert [e.learner_id for e in finals] == ["L1", "L2", "L3", "L4", "L5"]  # the leaver is not in the class
    with pytest.raises(Refused) as exc:
        journal.handle(sheet_ref(commands.OverrideGrade, ANNUAL, learner_id="L1", percent="90", reason="Дахин үзнэ"))
    assert exc.value.code == "grades_final"
    with pytest.raises(Refused) as exc:
        journal.handle(commands.ReturnGrades(MANAGER, annual.id, "Буцааж засна"))
    assert exc.value.code == "not_submitted"


def test_a_new_assessment_after_the_annual_grades_are_final_is_refused(journal: Journal, clock) -> None:
    approve_all_terms(journal, clock, {1: "80", 2: "70", 3: "90", 4: "100"})
    journal.handle(commands.ApproveGrades(MANAGER, journal.handle(sheet_ref(commands.SubmitGrades, ANNUAL)).id))
    with pytest.raises(Refused) as exc:
        assessment(journal, "Нэмэлт", date(2027, 6, 1), term=4)
    assert exc.value.code == "grades_final"
