"""Every Kafka handler maps its protobuf message onto the read model the guardian reads (SQLite file, no broker)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from esis.common.v1 import common_pb2
from esis.education.v1 import education_events_pb2 as edu
from esis.teacher.v1 import teacher_events_pb2 as teacher
from parent.domain.school import Lesson
from parent.entrypoints.consumer import build_handlers
from parent.service_layer import views
from parent.service_layer.handlers.claims import ClaimChild, claim_child

from .apptools import container
from .conftest import MOTHER, claim

SCHOOL = common_pb2.OrgRef(org_id="sch-1", aimag_code="11")


def d(day: date) -> common_pb2.Date:
    return common_pb2.Date(year=day.year, month=day.month, day=day.day)


@pytest.fixture
def deps(tmp_path):
    built = container(tmp_path)
    claim_child(ClaimChild(MOTHER.subject, claim()), built.deps)
    claim_child(ClaimChild(MOTHER.subject, claim("УБ21251005")), built.deps)
    yield built.deps
    built.close()


def consume(deps, *messages) -> None:
    handlers = build_handlers(deps)
    for message in messages:
        with deps.uow() as uow:
            handlers[message.DESCRIPTOR.full_name](uow.session, message, None)
            uow.session.commit()


def test_marks_and_grades_land_in_the_school_year(deps) -> None:
    consume(deps,
            teacher.MarkRecorded(assessment_id="asm-1", learner_id="lrn-bat", class_id="cls-5b", school=SCHOOL,
                                 subject_code="MATH", school_year="2026-2027", term=1, assessment_name="Шалгалт",
                                 held_on=d(date(2026, 11, 20)), weight=1.0, percent=87.5),
            teacher.TermGradePublished(learner_id="lrn-bat", class_id="cls-5b", school=SCHOOL, subject_code="MATH",
                                       school_year="2026-2027", term=1, percent=90.25, scale="secondary", grade="A"),
            teacher.AnnualGradeFinalized(learner_id="lrn-bat", class_id="cls-5b", school=SCHOOL, subject_code="MATH",
                                         school_year="2025-2026", percent=81, scale="secondary", grade="B"))

    this_year, last_year = views.school_years(MOTHER, "lrn-bat", deps)
    assert this_year.marks["MATH"][0].percent == Decimal("87.5")
    assert (this_year.grades["MATH"][1].band, this_year.grades["MATH"][1].percent) == ("A", Decimal("90.25"))
    assert last_year.grades["MATH"][0].band == "B"


def test_homework_growth_and_observations(deps) -> None:
    consume(deps,
            teacher.HomeworkAssigned(homework_id="hw-1", class_id="cls-5b", school=SCHOOL, subject_code="MATH",
                                     assigned_on=d(date(2026, 11, 30)), due_on=d(date(2026, 12, 2)), text="Бодлого"),
            teacher.GrowthMeasured(measurement_id="gm-1", learner_id="lrn-sarnai", class_id="cls-kg", school=SCHOOL,
                                   measured_on=d(date(2024, 5, 10)), height_cm=95.1, weight_kg=13.9),
            teacher.DevelopmentObserved(observation_id="ob-1", learner_id="lrn-sarnai", class_id="cls-kg",
                                        school=SCHOOL, observed_on=d(date(2024, 5, 11)), domain="language",
                                        level="achieved", note="Шүлэг цээжилсэн"))

    assert [h.text for h in views.homework(MOTHER, "lrn-bat", deps)] == ["Бодлого"]
    _, points, notes = views.growth_chart(MOTHER, "lrn-sarnai", deps)
    assert points[0].measurement.height_cm == Decimal("95.1") and abs(points[0].z("hfa")) < Decimal("0.1")
    assert (notes[0].domain, notes[0].level) == ("language", "achieved")


def test_a_correction_replaces_the_days_mark(deps) -> None:
    consume(deps,
            teacher.AttendanceMarked(sheet_id="s", class_id="cls-5b", school=SCHOOL, day=d(date(2026, 11, 30)),
                                     marks=[teacher.AttendanceMark(learner_id="lrn-bat", code="unexcused",
                                                                   category="unexcused_absence")]),
            teacher.AttendanceCorrected(sheet_id="s", class_id="cls-5b", school=SCHOOL, day=d(date(2026, 11, 30)),
                                        changes=[teacher.AttendanceChange(learner_id="lrn-bat",
                                                                          previous_code="unexcused", code="sick",
                                                                          category="excused_absence")]))

    assert views.day(MOTHER, "lrn-bat", deps).status == "sick"


def test_school_class_teacher_and_moves_follow_education(deps) -> None:
    consume(deps,
            edu.OrgUnitCreated(unit_id="sch-9", kind=edu.ORG_KIND_SCHOOL, code="UB-009", name_mn="9-р сургууль"),
            edu.ClassOpened(class_id="cls-6a", school=common_pb2.OrgRef(org_id="sch-9"), year_id="2026-2027",
                            level="6", letter="А", shift=2),
            edu.ClassChanged(class_id="cls-6a", school=common_pb2.OrgRef(org_id="sch-9"), room="305",
                             class_teacher_id="stf-1"),
            edu.LearnerEnrolled(learner_id="lrn-bat", school=common_pb2.OrgRef(org_id="sch-9"), class_id="cls-6a",
                                level="6"))

    summary = views.child(MOTHER, "lrn-bat", deps)
    assert (summary.class_info.name, summary.class_info.room, summary.school.name) == ("6А", "305", "9-р сургууль")
    assert views.teachers(MOTHER, "lrn-bat", deps)[0].name == "Б.Сараа"

    consume(deps, edu.LearnerWithdrawn(learner_id="lrn-bat", school=common_pb2.OrgRef(org_id="sch-9")))
    assert views.child(MOTHER, "lrn-bat", deps).child.status == "withdrawn"


def test_a_revoked_guardian_link_unlinks_the_portal_account(deps) -> None:
    consume(deps, edu.GuardianLinkRevoked(learner_id="lrn-bat", guardian_id="grd-1", school=SCHOOL))

    assert [c.child.learner_id for c in views.children(MOTHER, deps)] == ["lrn-sarnai"]


def test_a_class_teacher_recorded_by_account_id_is_still_found(deps) -> None:
    consume(deps, edu.ClassChanged(class_id="cls-5b", school=SCHOOL, room="202", class_teacher_id="acc-teacher"))

    class_teacher, _ = views.teachers(MOTHER, "lrn-bat", deps)
    assert (class_teacher.name, class_teacher.phone) == ("Б.Сараа", "99001100")


def test_a_published_timetable_event_brings_its_lessons_with_subject_codes(deps) -> None:
    consume(deps, edu.TimetablePublished(class_id="cls-5b", school=SCHOOL, year_id="2026-2027", lessons=2,
                                         weekly_lessons=[
                                             edu.TimetableLesson(day=2, period=1, subject_id="subj-1",
                                                                 subject_code="MATH", teacher_id="stf-1"),
                                             edu.TimetableLesson(day=1, period=3, subject_id="subj-2",
                                                                 subject_code="MONG", teacher_id="stf-2",
                                                                 room="204")]))

    week = views.timetable(MOTHER, "lrn-bat", deps)
    assert {day: [(x.period, x.subject_code, x.room) for x in lessons] for day, lessons in week.items()} == {
        1: [(3, "MONG", "204")], 2: [(1, "MATH", "")]}
    assert deps.timetable.asked == []


def test_a_subject_code_and_room_of_40_characters_arrive_whole(deps) -> None:
    code, room = "SCIENCE-AND-TECHNOLOGY-ELECTIVE-GRADE-12", "Лаборатори 3-р давхар, баруун жигүүр 301"
    assert len(code) == len(room) == 40
    consume(deps, edu.TimetablePublished(class_id="cls-5b", school=SCHOOL, year_id="2026-2027", lessons=1,
                                         weekly_lessons=[edu.TimetableLesson(day=3, period=2, subject_id="subj-1",
                                                                             subject_code=code, room=room)]))

    assert views.timetable(MOTHER, "lrn-bat", deps) == {3: [Lesson(3, 2, code, room)]}


def test_a_timetable_event_of_an_older_education_is_completed_over_grpc(deps) -> None:
    consume(deps, edu.TimetablePublished(class_id="cls-5b", school=SCHOOL, year_id="2026-2027", lessons=2,
                                         weekly_lessons=[edu.TimetableLesson(day=1, period=1, subject_code="MATH")]))
    deps.timetable.by_class["cls-5b"] = [Lesson(5, 2, "ART")]

    consume(deps, edu.TimetablePublished(class_id="cls-5b", school=SCHOOL, year_id="2026-2027", lessons=2))

    assert views.timetable(MOTHER, "lrn-bat", deps) == {5: [Lesson(5, 2, "ART")]}
