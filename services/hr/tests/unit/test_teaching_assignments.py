"""Teaching assignments: one teacher per class and subject at a time, workloads, gaps, effective dates."""

from __future__ import annotations

from datetime import date

import pytest
from hr.domain.errors import AccessDenied, Conflict, InvalidInput
from hr.domain.events import TeachingAssigned, TeachingUnassigned
from hr.service_layer import commands
from hr.service_layer.views import assignments_of_class, class_gaps, teaching_at, workload

MALE_1985, FEMALE_1992 = "УБ85031512", "ТА92112024"
SCHOOL, OTHER_SCHOOL = "org-school-1", "org-school-2"


@pytest.fixture
def teacher(world):
    world.add_class("class-5a")
    return world.hire(MALE_1985, patronymic="Батын", given_name="Болд").staff_id


def test_assigning_a_subject_announces_class_subject_and_hours(world, teacher):
    result = world.assign(teacher, "class-5a", "math", 5)

    [event] = world.events(TeachingAssigned)
    assert (event.staff_id, event.class_id, event.org_id, event.subject_code, event.weekly_hours) == (
        teacher, "class-5a", SCHOOL, "math", 5)
    assert (event.start_date, event.last_day) == (date(2024, 9, 1), date(2025, 8, 31))
    assert result.assignment.school_year.label == "2024-2025"


def test_a_second_teacher_for_the_same_class_and_subject_is_refused_naming_the_first(world, teacher):
    world.assign(teacher, "class-5a", "math", 5)
    other = world.hire(FEMALE_1992, patronymic="Дорж", given_name="Сараа").staff_id

    with pytest.raises(Conflict) as caught:
        world.assign(other, "class-5a", "math", 5, start=date(2024, 11, 1))
    assert caught.value.code == "assignment_overlap"
    assert "Б.Болд" in caught.value.message_mn and "Б.Болд" in caught.value.message_en
    assert caught.value.details["staff_id"] == teacher
    assert len(world.events(TeachingAssigned)) == 1


def test_the_same_teacher_twice_on_overlapping_dates_is_refused(world, teacher):
    world.assign(teacher, "class-5a", "math", 5, last_day=date(2024, 12, 31))
    with pytest.raises(Conflict):
        world.assign(teacher, "class-5a", "math", 2, start=date(2024, 12, 31))


def test_a_substitute_can_take_over_after_the_first_assignment_ends(world, teacher):
    first = world.assign(teacher, "class-5a", "math", 5).assignment
    world.handle(commands.UnassignTeaching(world.admin, first.id, date(2024, 12, 31), "reassigned"))
    substitute = world.hire(FEMALE_1992).staff_id
    world.assign(substitute, "class-5a", "math", 5, start=date(2025, 1, 1))

    def teacher_of_math(day):
        rows = teaching_at(world.bus.uow_factory(), world.admin, SCHOOL, day)
        return [r.assignment.staff_id for r in rows if r.assignment.subject_code == "math"]

    assert teacher_of_math(date(2024, 12, 31)) == [teacher]
    assert teacher_of_math(date(2025, 1, 1)) == [substitute]
    [ended] = world.events(TeachingUnassigned)
    assert (ended.assignment_id, ended.last_day, ended.reason) == (first.id, date(2024, 12, 31), "reassigned")


def test_different_subjects_of_one_class_can_have_different_teachers(world, teacher):
    other = world.hire(FEMALE_1992).staff_id
    world.assign(teacher, "class-5a", "math", 5)
    world.assign(other, "class-5a", "mongolian", 6)
    rows = assignments_of_class(world.bus.uow_factory(), world.admin, "class-5a", date(2024, 10, 1))
    assert sorted((r.assignment.subject_code, r.assignment.staff_id) for r in rows) == [
        ("math", teacher), ("mongolian", other)]


def test_workload_above_the_norm_is_accepted_with_a_warning(world, teacher):
    for n, hours in enumerate((6, 6, 6), start=1):
        world.add_class(f"class-{n}", subjects={"math": hours})
        notices = world.assign(teacher, f"class-{n}", "math", hours).notices
    assert "workload_over_norm" not in [n.code for n in notices]

    world.add_class("class-4", subjects={"math": 2})
    notices = world.assign(teacher, "class-4", "math", 2).notices
    [warning] = [n for n in notices if n.code == "workload_over_norm"]
    assert warning.details == {"weekly_hours": 20, "norm_hours": "19.0"}
    assert "20" in warning.message_mn


def test_the_norm_of_a_half_time_teacher_is_half(world):
    world.add_class("class-5a")
    half = world.hire(FEMALE_1992, position=world.position(fte="0.5"), fte="0.5").staff_id
    notices = world.assign(half, "class-5a", "math", 10).notices
    assert "workload_over_norm" in [n.code for n in notices]
    load = workload(world.bus.uow_factory(), world.admin, half, date(2024, 10, 1), world.bus.context)
    assert (load.weekly_hours, str(load.norm_hours), load.over_norm) == (10, "9.5", True)


def test_class_subjects_without_a_teacher_are_listed(world, teacher):
    world.assign(teacher, "class-5a", "math", 5)
    gaps = class_gaps(world.bus.uow_factory(), world.admin, "class-5a", date(2024, 10, 1))
    assert [(g.subject_code, g.planned_hours) for g in gaps] == [("mongolian", 6), ("science", 3)]


def test_a_subject_becomes_a_gap_again_after_its_teacher_leaves_the_school(world, teacher):
    world.assign(teacher, "class-5a", "math", 5)
    world.handle(commands.ExitStaff(world.admin, teacher, SCHOOL, date(2024, 12, 31), "resigned"))

    gaps = class_gaps(world.bus.uow_factory(), world.admin, "class-5a", date(2025, 1, 6))
    assert "math" in [g.subject_code for g in gaps]
    [ended] = world.events(TeachingUnassigned)
    assert (ended.reason, ended.last_day) == ("staff_left", date(2024, 12, 31))


def test_a_transferred_teacher_stops_teaching_at_the_old_school(world, teacher):
    world.assign(teacher, "class-5a", "math", 5)
    hired = world.staff(teacher).history.appointments[0]
    target = world.position(org=OTHER_SCHOOL)
    world.handle(commands.TransferStaff(world.admin, teacher, hired.id, target.id, "1", date(2025, 2, 1)))

    rows = teaching_at(world.bus.uow_factory(), world.admin, SCHOOL, date(2025, 2, 1))
    assert rows == []
    [ended] = world.events(TeachingUnassigned)
    assert ended.last_day == date(2025, 1, 31)


def test_a_teacher_not_employed_at_the_school_cannot_be_assigned(world, teacher):
    world.add_class("class-2b", org=OTHER_SCHOOL)
    with pytest.raises(Conflict) as caught:
        world.assign(teacher, "class-2b", "math", 5)
    assert caught.value.code == "teacher_not_employed_here"
    assert caught.value.field == "staff_id"


def test_teaching_outside_the_school_year_is_refused(world, teacher):
    with pytest.raises(InvalidInput) as caught:
        world.assign(teacher, "class-5a", "math", 5, start=date(2024, 9, 1), last_day=date(2025, 9, 30))
    assert caught.value.code == "outside_school_year"


def test_weekly_hours_out_of_range_name_the_field(world, teacher):
    with pytest.raises(InvalidInput) as caught:
        world.assign(teacher, "class-5a", "math", 0)
    assert caught.value.field == "weekly_hours"


def test_assigning_a_class_to_the_wrong_school_year_is_refused(world, teacher):
    with pytest.raises(InvalidInput) as caught:
        world.handle(commands.AssignTeaching(world.admin, teacher, "class-5a", "math", "2023-2024", 5))
    assert caught.value.code == "class_of_other_year"


def test_unqualified_or_off_curriculum_subjects_are_accepted_with_notices(world, teacher):
    notices = world.assign(teacher, "class-5a", "chess", 1).notices
    assert [n.code for n in notices] == ["not_qualified_for_subject", "subject_not_in_curriculum"]


def test_a_teacher_on_leave_is_flagged_when_assigned(world, teacher):
    world.handle(commands.StartLeave(world.admin, teacher, "study", date(2024, 9, 1)))
    notices = world.assign(teacher, "class-5a", "math", 5).notices
    assert "teacher_on_leave" in [n.code for n in notices]


def test_withdrawing_an_assignment_before_it_starts_leaves_no_teaching_day(world, teacher):
    future = world.assign(teacher, "class-5a", "math", 5, start=date(2025, 1, 6)).assignment
    world.handle(commands.UnassignTeaching(world.admin, future.id, date(2024, 12, 1), "correction"))

    rows = assignments_of_class(world.bus.uow_factory(), world.admin, "class-5a", date(2025, 1, 6))
    assert rows == []
    [ended] = world.events(TeachingUnassigned)
    assert ended.last_day == date(2025, 1, 5)


def test_ending_an_assignment_later_than_it_already_ends_is_refused(world, teacher):
    first = world.assign(teacher, "class-5a", "math", 5, last_day=date(2024, 12, 31)).assignment
    with pytest.raises(Conflict) as caught:
        world.handle(commands.UnassignTeaching(world.admin, first.id, date(2025, 3, 1)))
    assert caught.value.code == "assignment_already_ended"


def test_another_schools_admin_cannot_assign_teachers_here(world, teacher):
    with pytest.raises(AccessDenied):
        world.handle(commands.AssignTeaching(world.other_admin, teacher, "class-5a", "math", "2024-2025", 5))
    assert world.events(TeachingAssigned) == []
