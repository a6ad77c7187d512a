"""Who may see and change staff records, and the audit trail of reads of personal data."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from hr.domain.access import Actor, Role, can_manage_org, can_read_class, can_read_org, can_read_staff
from hr.domain.errors import AccessDenied, InvalidInput
from hr.service_layer import commands
from hr.service_layer.views import audit_trail, staff_at

MALE_1985 = "УБ85031512"
SCHOOL, OTHER_SCHOOL, FAR_SCHOOL = "org-school-1", "org-school-2", "org-school-far"
AIMAG_OFFICER = Actor("acc-officer", Role.AIMAG_OFFICER, frozenset({"org-dept-011"}), frozenset({"011"}))


def test_school_admin_manages_only_their_own_school():
    admin = Actor("a", Role.SCHOOL_ADMIN, frozenset({SCHOOL}))
    assert can_manage_org(admin, SCHOOL)
    assert not can_manage_org(admin, OTHER_SCHOOL)


def test_aimag_officer_reads_the_schools_of_their_aimag_but_manages_none():
    assert can_read_org(AIMAG_OFFICER, OTHER_SCHOOL, "011")
    assert not can_read_org(AIMAG_OFFICER, FAR_SCHOOL, "065")
    assert not can_manage_org(AIMAG_OFFICER, OTHER_SCHOOL)


def test_a_teacher_reads_their_own_record_and_their_classes_only():
    teacher = Actor("t", Role.TEACHER, frozenset({SCHOOL}), staff_id="staff-1", class_ids=frozenset({"c1"}))
    assert can_read_staff(teacher, "staff-1", {})
    assert not can_read_staff(teacher, "staff-2", {SCHOOL: "011"})
    assert can_read_class(teacher, "c1", SCHOOL, "011")
    assert not can_read_class(teacher, "c2", SCHOOL, "011")


def test_a_parent_reads_no_staff_record():
    parent = Actor("p", Role.PARENT, frozenset({SCHOOL}))
    assert not can_read_staff(parent, "staff-1", {SCHOOL: "011"})


def test_the_ministry_reads_every_school():
    assert can_read_org(Actor("m", Role.MINISTRY), FAR_SCHOOL, "065")


def test_another_schools_admin_cannot_hire_into_my_positions(world):
    position = world.position(org=SCHOOL)
    details = commands.PersonDetails(MALE_1985, "Батын", "Болд", date(1985, 3, 15), "male")
    with pytest.raises(AccessDenied) as caught:
        world.handle(commands.HireStaff(world.other_admin, details, position.id, "1", date(2024, 9, 1)))
    assert "эрх" in caught.value.message_mn
    assert world.store.staff == {}


def test_reading_a_profile_is_audited_with_reader_time_and_purpose(world):
    staff_id = world.hire(MALE_1985).staff_id
    staff = world.handle(commands.ViewStaff(AIMAG_OFFICER, staff_id, "attestation review"))

    assert staff.register_number == MALE_1985
    [entry] = world.store.reads
    assert (entry.reader_account_id, entry.reader_role, entry.purpose) == (
        "acc-officer", "aimag_officer", "attestation review")
    assert entry.read_at == datetime(2024, 10, 1, 9, tzinfo=UTC)


def test_reading_a_profile_without_a_purpose_is_refused_and_not_shown(world):
    staff_id = world.hire(MALE_1985).staff_id
    with pytest.raises(InvalidInput) as caught:
        world.handle(commands.ViewStaff(world.admin, staff_id, " "))
    assert caught.value.field == "purpose"
    assert world.store.reads == []


def test_an_officer_of_another_aimag_cannot_read_the_profile_and_nothing_is_logged(world):
    staff_id = world.hire(MALE_1985).staff_id
    far_officer = Actor("acc-far", Role.AIMAG_OFFICER, frozenset({"org-dept-065"}), frozenset({"065"}))
    with pytest.raises(AccessDenied):
        world.handle(commands.ViewStaff(far_officer, staff_id, "curiosity"))
    assert world.store.reads == []


def test_people_reading_their_own_record_leave_no_audit_entry_and_see_who_read_it(world):
    staff_id = world.hire(MALE_1985).staff_id
    world.handle(commands.ViewStaff(world.admin, staff_id, "contract renewal"))
    me = Actor("acc-me", Role.TEACHER, frozenset({SCHOOL}), staff_id=staff_id)
    world.handle(commands.ViewStaff(me, staff_id))

    trail = audit_trail(world.bus.uow_factory(), me, staff_id, date(2024, 10, 1))
    assert [(r.reader_account_id, r.purpose) for r in trail] == [(world.admin.account_id, "contract renewal")]


def test_a_former_school_loses_access_once_the_person_has_left(world):
    staff_id = world.hire(MALE_1985).staff_id
    world.handle(commands.ExitStaff(world.admin, staff_id, SCHOOL, date(2024, 9, 30), "resigned"))
    with pytest.raises(AccessDenied):
        world.handle(commands.ViewStaff(world.admin, staff_id, "checking"))


def test_an_officer_cannot_list_the_staff_of_a_school_in_another_aimag(world):
    far = Actor("acc-far", Role.AIMAG_OFFICER, frozenset({"org-dept-065"}), frozenset({"065"}))
    with pytest.raises(AccessDenied):
        staff_at(world.bus.uow_factory(), far, SCHOOL, date(2024, 10, 1))
    assert staff_at(world.bus.uow_factory(), AIMAG_OFFICER, SCHOOL, date(2024, 10, 1)) == []
