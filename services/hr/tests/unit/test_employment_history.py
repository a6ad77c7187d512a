"""Employment history is effective-dated: changes close one stretch and open the next, nothing is lost."""

from __future__ import annotations

from datetime import date

import pytest
from hr.domain.access import Actor, Role
from hr.domain.errors import AccessDenied, Conflict, InvalidInput
from hr.domain.events import StaffExited, StaffLeaveEnded, StaffLeaveStarted, StaffMoved
from hr.service_layer import commands
from hr.service_layer.views import staff_at

MALE_1985, FEMALE_1992 = "УБ85031512", "ТА92112024"
SCHOOL, OTHER_SCHOOL = "org-school-1", "org-school-2"


def _positions_on(world, staff_id, day):
    return [(a.org_id, a.kind.value) for a in world.staff(staff_id).history.active_on(day)]


def test_change_of_position_is_answerable_before_and_after_the_effective_date(world):
    hired = world.hire(MALE_1985, position=world.position(kind="teacher"))
    manager = world.position(kind="training_manager")
    world.handle(commands.ChangePosition(world.admin, hired.staff_id, hired.appointment_id, manager.id, "1",
                                         date(2025, 1, 1)))

    assert _positions_on(world, hired.staff_id, date(2024, 12, 31)) == [(SCHOOL, "teacher")]
    assert _positions_on(world, hired.staff_id, date(2025, 1, 1)) == [(SCHOOL, "training_manager")]
    [moved] = world.events(StaffMoved)
    assert (moved.kind, moved.from_position_kind, moved.to_position_kind) == (
        "position_change", "teacher", "training_manager")


def test_a_change_of_position_into_another_school_must_be_a_transfer(world):
    hired = world.hire(MALE_1985)
    elsewhere = world.position(org=OTHER_SCHOOL)
    with pytest.raises(InvalidInput) as caught:
        world.handle(commands.ChangePosition(world.admin, hired.staff_id, hired.appointment_id, elsewhere.id, "1",
                                             date(2025, 1, 1)))
    assert caught.value.details["use"] == "transfer"


def test_transfer_keeps_the_old_school_in_the_history(world):
    hired = world.hire(MALE_1985)
    target = world.position(org=OTHER_SCHOOL)
    world.handle(commands.TransferStaff(world.admin, hired.staff_id, hired.appointment_id, target.id, "1",
                                        date(2025, 2, 1)))

    assert _positions_on(world, hired.staff_id, date(2025, 1, 31)) == [(SCHOOL, "teacher")]
    assert _positions_on(world, hired.staff_id, date(2025, 2, 1)) == [(OTHER_SCHOOL, "teacher")]
    [moved] = world.events(StaffMoved)
    assert (moved.kind, moved.from_org_id, moved.to_org_id) == ("transfer", SCHOOL, OTHER_SCHOOL)


def test_only_the_current_employer_may_transfer_a_teacher_away(world):
    hired = world.hire(MALE_1985)
    target = world.position(org=OTHER_SCHOOL)
    with pytest.raises(AccessDenied):
        world.handle(commands.TransferStaff(world.other_admin, hired.staff_id, hired.appointment_id, target.id,
                                            "1", date(2025, 2, 1)))
    assert _positions_on(world, hired.staff_id, date(2025, 2, 1)) == [(SCHOOL, "teacher")]


def test_who_worked_at_a_school_on_a_date_uses_the_history(world):
    admin = world.admin
    bold = world.hire(MALE_1985)
    world.hire(FEMALE_1992, start=date(2024, 11, 1))
    world.handle(commands.ExitStaff(admin, bold.staff_id, SCHOOL, date(2024, 12, 31), "retired"))

    def names(day):
        return [r.staff_id for r in staff_at(world.bus.uow_factory(), admin, SCHOOL, day)]

    assert names(date(2024, 10, 15)) == [bold.staff_id]
    assert len(names(date(2024, 12, 1))) == 2
    assert bold.staff_id not in names(date(2025, 1, 1))


def test_exit_records_the_reason_and_the_last_day(world):
    hired = world.hire(MALE_1985)
    world.handle(commands.ExitStaff(world.admin, hired.staff_id, SCHOOL, date(2025, 6, 30), "retired"))

    [appointment] = world.staff(hired.staff_id).history.appointments
    assert appointment.period.last_day == date(2025, 6, 30)
    assert appointment.exit_reason.label() == "тэтгэвэрт гарсан"
    [event] = world.events(StaffExited)
    assert (event.reason, event.last_day) == ("retired", date(2025, 6, 30))


def test_exit_with_an_unknown_reason_lists_the_allowed_ones(world):
    hired = world.hire(MALE_1985)
    with pytest.raises(InvalidInput) as caught:
        world.handle(commands.ExitStaff(world.admin, hired.staff_id, SCHOOL, date(2025, 6, 30), "bored"))
    assert caught.value.field == "reason" and "retired" in caught.value.message_en


def test_exit_from_a_school_the_person_does_not_work_at_is_refused(world):
    hired = world.hire(MALE_1985)
    admin_of_both = Actor("acc", Role.SCHOOL_ADMIN, frozenset({SCHOOL, OTHER_SCHOOL}))
    with pytest.raises(Conflict) as caught:
        world.handle(commands.ExitStaff(admin_of_both, hired.staff_id, OTHER_SCHOOL, date(2025, 6, 30), "resigned"))
    assert caught.value.code == "not_employed_here"


def test_a_last_day_before_the_start_is_refused(world):
    hired = world.hire(MALE_1985, start=date(2024, 9, 1))
    with pytest.raises(InvalidInput) as caught:
        world.handle(commands.ExitStaff(world.admin, hired.staff_id, SCHOOL, date(2024, 8, 1), "resigned"))
    assert caught.value.field == "effective_date"


def test_leave_is_effective_dated_and_announced_at_start_and_end(world):
    hired = world.hire(FEMALE_1992)
    leave_id = world.handle(commands.StartLeave(world.admin, hired.staff_id, "maternity", date(2024, 11, 1),
                                                date(2025, 3, 31)))
    world.handle(commands.EndLeave(world.admin, hired.staff_id, leave_id, date(2025, 4, 15)))

    history = world.staff(hired.staff_id).history
    assert history.leave_on(date(2024, 10, 31)) is None
    assert history.leave_on(date(2025, 4, 15)).kind.value == "maternity"
    assert history.leave_on(date(2025, 4, 16)) is None
    [started], [ended] = world.events(StaffLeaveStarted), world.events(StaffLeaveEnded)
    assert started.org_ids == (SCHOOL,) and ended.last_day == date(2025, 4, 15)


def test_overlapping_leaves_are_refused(world):
    hired = world.hire(FEMALE_1992)
    world.handle(commands.StartLeave(world.admin, hired.staff_id, "study", date(2024, 11, 1)))
    with pytest.raises(Conflict) as caught:
        world.handle(commands.StartLeave(world.admin, hired.staff_id, "sick", date(2024, 12, 1)))
    assert caught.value.code == "leave_overlap"
    assert "сургалтын чөлөө" in caught.value.message_mn


def test_leave_cannot_start_before_the_person_was_hired(world):
    hired = world.hire(FEMALE_1992, start=date(2024, 9, 1))
    with pytest.raises(Conflict) as caught:
        world.handle(commands.StartLeave(world.admin, hired.staff_id, "sick", date(2024, 8, 20)))
    assert caught.value.code == "leave_not_employed"


def test_leaving_the_only_job_ends_a_running_leave(world):
    hired = world.hire(FEMALE_1992)
    world.handle(commands.StartLeave(world.admin, hired.staff_id, "child_care", date(2024, 10, 1)))
    world.handle(commands.ExitStaff(world.admin, hired.staff_id, SCHOOL, date(2025, 1, 31), "resigned"))

    [ended] = world.events(StaffLeaveEnded)
    assert ended.last_day == date(2025, 1, 31)
    assert world.staff(hired.staff_id).history.leave_on(date(2025, 2, 1)) is None


def test_a_position_cannot_be_filled_beyond_its_fte(world):
    half = world.position(fte="0.5")
    world.hire(MALE_1985, position=half, fte="0.5")
    with pytest.raises(Conflict) as caught:
        world.hire(FEMALE_1992, position=half, fte="0.5")
    assert caught.value.code == "position_full"
    assert caught.value.details["free_fte"] == "0.00"


def test_a_position_freed_by_an_exit_can_be_filled_from_the_next_day(world):
    post = world.position()
    first = world.hire(MALE_1985, position=post)
    world.handle(commands.ExitStaff(world.admin, first.staff_id, SCHOOL, date(2024, 12, 31), "resigned"))
    second = world.hire(FEMALE_1992, position=post, start=date(2025, 1, 1))
    assert second.new_record


def test_total_fte_over_the_limit_is_refused(world):
    world.hire(MALE_1985, position=world.position(), fte="1")
    with pytest.raises(Conflict) as caught:
        world.hire(MALE_1985, position=world.position(org=OTHER_SCHOOL), fte="0.75")
    assert caught.value.code == "fte_over_limit"


def test_fte_out_of_range_names_the_field(world):
    with pytest.raises(InvalidInput) as caught:
        world.hire(MALE_1985, fte="1.5")
    assert caught.value.field == "fte"
