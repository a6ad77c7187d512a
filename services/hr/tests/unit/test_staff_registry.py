"""Registering staff: register numbers, personal data, qualifications, one record per person across schools."""

from __future__ import annotations

from datetime import date

import pytest
from hr.domain.errors import Conflict, InvalidInput
from hr.domain.events import StaffAccountLinked, StaffHired, StaffQualificationsChanged
from hr.service_layer import commands
from hr.service_layer.views import staff_at

MALE_1985 = "УБ85031512"
SEPT_1 = date(2024, 9, 1)


def test_hiring_a_new_person_creates_their_record_and_announces_the_hire(world):
    position = world.position(kind="teacher", subject="math")
    hired = world.hire(MALE_1985, position=position, given_name="Болд")

    staff = world.staff(hired.staff_id)
    assert hired.new_record
    assert staff.name.display == "Б.Болд"
    assert staff.birth_date == date(1985, 3, 15)
    [event] = world.events(StaffHired)
    assert (event.staff_id, event.org_id, event.position_kind, event.start_date) == (
        hired.staff_id, position.org_id, "teacher", SEPT_1)


def test_register_number_with_an_impossible_month_names_the_month(world):
    with pytest.raises(InvalidInput) as caught:
        world.hire("УБ85131512", birth_date=date(1985, 3, 15), sex="male")
    assert caught.value.field == "register_number"
    assert caught.value.code == "register_number_birth_month"
    assert "5–6" in caught.value.message_mn and "birth month" in caught.value.message_en


def test_register_number_must_agree_with_the_recorded_birth_date_and_sex(world):
    with pytest.raises(InvalidInput) as caught:
        world.hire(MALE_1985, birth_date=date(1985, 3, 16), sex="female")
    parts = [f["part"] for f in caught.value.details["fields"]]
    assert parts == ["birth_day", "sex_digit"]
    assert not world.store.staff


def test_register_number_typed_in_lower_case_is_accepted_and_stored_upper_case(world):
    hired = world.hire("уб85031512", birth_date=date(1985, 3, 15), sex="эрэгтэй")
    assert world.staff(hired.staff_id).register_number == "УБ85031512"


def test_unknown_sex_word_is_refused_naming_the_field(world):
    with pytest.raises(InvalidInput) as caught:
        world.hire(MALE_1985, sex="x")
    assert caught.value.field == "sex"


def test_a_person_hired_again_keeps_one_record_with_the_whole_history(world):
    first = world.hire(MALE_1985, position=world.position())
    world.handle(commands.ExitStaff(world.admin, first.staff_id, "org-school-1", date(2024, 12, 31), "resigned"))
    again = world.hire(MALE_1985, position=world.position(org="org-school-2"), start=date(2025, 2, 1))

    assert again.staff_id == first.staff_id and not again.new_record
    history = world.staff(first.staff_id).history
    assert [a.org_id for a in history.appointments] == ["org-school-1", "org-school-2"]
    assert len(world.store.staff) == 1


def test_invalid_email_is_refused_naming_the_field(world):
    with pytest.raises(InvalidInput) as caught:
        world.hire(MALE_1985, email="not-an-address")
    assert caught.value.field == "email"


def test_qualifications_record_rank_degrees_licences_and_subjects(world):
    hired = world.hire(MALE_1985)
    world.handle(commands.UpdateQualifications(
        world.admin, hired.staff_id,
        education=(commands.EducationEntry("bachelor", "МУБИС", 2007, "математикийн багш"),),
        rank_code="terguulekh",
        licences=(commands.LicenceEntry("teaching", "L-001", date(2020, 1, 1), date(2025, 1, 1)),),
        subject_codes=frozenset({"math", "physics"})))

    staff = world.staff(hired.staff_id)
    assert staff.qualified_for("math") and not staff.qualified_for("music")
    [event] = world.events(StaffQualificationsChanged)
    assert event.rank_code == "terguulekh"
    assert event.licence_valid_until == date(2025, 1, 1)
    assert event.org_ids == ("org-school-1",)


def test_an_unknown_rank_is_refused_listing_the_known_ranks(world):
    hired = world.hire(MALE_1985)
    with pytest.raises(InvalidInput) as caught:
        world.handle(commands.UpdateQualifications(world.admin, hired.staff_id, rank_code="professor"))
    assert caught.value.field == "rank"
    assert caught.value.details["known"] == ["zaakh_argach", "terguulekh", "zuvlukh"]


def test_a_degree_obtained_before_the_person_could_have_studied_is_refused(world):
    hired = world.hire(MALE_1985)
    with pytest.raises(InvalidInput) as caught:
        world.handle(commands.UpdateQualifications(
            world.admin, hired.staff_id, education=(commands.EducationEntry("bachelor", "МУИС", 1990),)))
    assert caught.value.field == "education.year"


def test_an_expired_licence_gives_no_valid_until_date(world):
    hired = world.hire(MALE_1985)
    world.handle(commands.UpdateQualifications(world.admin, hired.staff_id, licences=(
        commands.LicenceEntry("teaching", "L-9", date(2015, 1, 1), date(2020, 1, 1)),)))
    [event] = world.events(StaffQualificationsChanged)
    assert event.licence_valid_until is None


def test_hiring_twice_into_the_same_position_is_refused(world):
    position = world.position(fte="1")
    world.hire(MALE_1985, position=position, fte="0.5")
    with pytest.raises(Conflict) as caught:
        world.hire(MALE_1985, position=position, fte="0.5", start=date(2024, 10, 1))
    assert caught.value.code == "already_in_position"


def test_staff_list_of_a_school_shows_names_positions_and_fte(world):
    world.hire(MALE_1985, position=world.position(kind="director"), given_name="Болд")
    world.hire("ТА92112024", position=world.position(kind="teacher"), fte="0.5", patronymic="Дорж",
               given_name="Сараа")
    rows = staff_at(world.bus.uow_factory(), world.admin, "org-school-1", date(2024, 10, 1))
    assert [(r.name, r.position_kind, str(r.fte)) for r in rows] == [
        ("Б.Болд", "director", "1.00"), ("Д.Сараа", "teacher", "0.50")]


def test_linking_an_account_announces_it_once_with_the_orgs_of_the_person(world):
    hired = world.hire(MALE_1985)
    world.handle(commands.LinkAccount(world.admin, hired.staff_id, "acc-bold"))
    world.handle(commands.LinkAccount(world.admin, hired.staff_id, "acc-bold"))

    [event] = world.events(StaffAccountLinked)
    assert (event.staff_id, event.account_id, event.org_ids) == (hired.staff_id, "acc-bold", ("org-school-1",))
