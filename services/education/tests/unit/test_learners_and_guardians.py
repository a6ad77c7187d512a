from datetime import date

import pytest
from education.domain.errors import Conflict, Forbidden, Invalid, NeedsConfirmation
from education.domain.events import (
    GuardianLinked,
    GuardianLinkVerified,
    LearnerMovedClass,
    LearnerRegistered,
    LearnerWithdrawn,
)
from education.domain.guardians import LinkState, Relationship
from education.domain.learners import LearnerStatus, WithdrawalReason
from education.service_layer import commands
from esis_shared.national_id import Sex


def _register(world, number="УБ18231410", birth=date(2018, 3, 14), sex=Sex.MALE, family="Бат", given="Болд",
              **extra):
    cmd = commands.RegisterLearner(world.school_a, number, family, given, birth, sex, **extra)
    return world.do(cmd, world.admin(world.school_a))


def test_registered_learner_event_carries_no_register_number_or_name(world):
    _register(world)
    [event] = world.events(LearnerRegistered)
    assert "УБ" not in repr(event) and "Болд" not in repr(event)
    assert (event.birth_year, event.sex) == (2018, "male")


def test_register_number_month_wrong_names_the_month_part(world):
    with pytest.raises(Invalid) as info:
        _register(world, number="УБ18331410")
    assert info.value.field == "register_number" and info.value.details["part"] == "birth_month"


def test_register_number_not_matching_birth_date_is_refused(world):
    with pytest.raises(Invalid) as info:
        _register(world, birth=date(2018, 3, 15))
    assert info.value.code == "register_number_birth_date_mismatch"
    assert "2018-03-14" in info.value.message_mn


def test_register_number_sex_digit_not_matching_recorded_sex_is_refused(world):
    with pytest.raises(Invalid) as info:
        _register(world, sex=Sex.FEMALE)
    assert info.value.code == "register_number_sex_mismatch"


def test_lowercase_register_number_is_stored_upper_case(world):
    learner_id = _register(world, number="уб18231410")
    assert world.learner(learner_id).register_number == "УБ18231410"


def test_latin_name_is_refused_naming_the_field(world):
    with pytest.raises(Invalid) as info:
        _register(world, given="Bold")
    assert info.value.field == "given_name" and info.value.code == "name_not_cyrillic"


def test_same_register_number_twice_is_refused_with_the_existing_learner(world):
    first = _register(world)
    with pytest.raises(Conflict) as info:
        _register(world, family="Өөр", given="Нэр")
    assert info.value.code == "learner_register_number_taken" and info.value.details["learner_id"] == first


def test_same_names_and_birth_date_need_confirmation(world):
    first = _register(world)
    with pytest.raises(NeedsConfirmation) as info:
        _register(world, number="АА18231430", given="болд")
    assert info.value.warnings[0].details["learner_id"] == first
    second = _register(world, number="АА18231430", duplicate_confirmation="Ихэр ах дүү")
    assert second != first


def test_school_admin_registers_only_into_own_school(world):
    cmd = commands.RegisterLearner(world.school_b, "УБ18231410", "Бат", "Болд", date(2018, 3, 14), Sex.MALE)
    with pytest.raises(Forbidden):
        world.do(cmd, world.admin(world.school_a))


def _guardian(world, learner_id, phone="9911-2233", **extra):
    cmd = commands.AddGuardian(learner_id, "Дорж", "Сарнай", phone, Relationship.MOTHER, **extra)
    return world.do(cmd, world.admin(world.school_a))


def test_guardian_link_starts_unverified_and_school_verifies_it(world):
    learner_id = _register(world)
    guardian_id = _guardian(world, learner_id)
    assert world.learner(learner_id).guardian_links[0].state is LinkState.UNVERIFIED
    world.do(commands.VerifyGuardianLink(learner_id, guardian_id), world.admin(world.school_a))
    assert world.learner(learner_id).guardian_links[0].state is LinkState.VERIFIED
    assert [type(e) for e in world.store.outbox[-2:]] == [GuardianLinked, GuardianLinkVerified]


def test_guardian_phone_must_have_8_digits(world):
    with pytest.raises(Invalid) as info:
        _guardian(world, _register(world), phone="12345")
    assert info.value.field == "phone"


def _claim(world, **kwargs):
    fields = {"learner_register_number": "УБ18231410", "guardian_given_name": "Сарнай", "account_id": "acc-9"}
    return world.do(commands.VerifyGuardianClaim(**{**fields, **kwargs}), world.service_actor)


def test_guardian_claim_with_matching_phone_succeeds_and_verifies_the_link(world):
    learner_id = _register(world)
    guardian_id = _guardian(world, learner_id)
    result = _claim(world, guardian_phone="+976 99112233")
    assert result == {"learner_id": learner_id, "guardian_id": guardian_id, "relationship": "mother"}
    link = world.learner(learner_id).guardian_links[0]
    assert (link.state, link.claimed_by) == (LinkState.VERIFIED, "acc-9")


def test_guardian_claim_with_matching_register_number_succeeds(world):
    learner_id = _register(world)
    _guardian(world, learner_id, register_number="УБ85052312")
    assert _claim(world, guardian_register_number="уб85052312") is not None


@pytest.mark.parametrize("kwargs", [{"guardian_phone": "99110000"}, {"guardian_given_name": "Оюун",
                                                                   "guardian_phone": "99112233"},
                                    {"learner_register_number": "УБ18231420", "guardian_phone": "99112233"}])
def test_guardian_claim_fails_without_a_full_match(world, kwargs):
    _guardian(world, _register(world))
    assert _claim(world, **kwargs) is None


def test_revoked_guardian_cannot_claim(world):
    learner_id = _register(world)
    guardian_id = _guardian(world, learner_id)
    world.do(commands.RevokeGuardianLink(learner_id, guardian_id), world.admin(world.school_a))
    assert _claim(world, guardian_phone="99112233") is None


def test_only_a_service_account_verifies_claims(world):
    with pytest.raises(Forbidden):
        world.do(commands.VerifyGuardianClaim("УБ18231410", "Сарнай", "99112233"), world.admin(world.school_a))


# ---------------------------------------------------------------- enrolment, class moves, withdrawal

def test_class_full_refuses_enrolment(world):
    class_id = world.open_class(world.school_a, capacity=1)
    world.enrolled(world.school_a, class_id)
    with pytest.raises(Conflict) as info:
        world.enrolled(world.school_a, class_id)
    assert info.value.code == "class_full" and "1/1" in info.value.message_en


def test_enrolled_learner_cannot_be_enrolled_again(world):
    a, b = world.open_class(world.school_a, letter="А"), world.open_class(world.school_a, letter="Б")
    learner_id = world.enrolled(world.school_a, a)
    with pytest.raises(Conflict) as info:
        world.do(commands.EnrolLearner(learner_id, b), world.admin(world.school_a))
    assert info.value.code == "learner_already_enrolled"


def test_class_move_ends_old_enrolment_the_day_the_new_one_starts(world):
    a, b = world.open_class(world.school_a, letter="А"), world.open_class(world.school_a, letter="Б")
    learner_id = world.enrolled(world.school_a, a)
    world.do(commands.MoveLearnerToClass(learner_id, b, date(2024, 11, 1)), world.admin(world.school_a))
    moved = world.learner(learner_id)
    assert moved.enrolment_on(date(2024, 10, 31)).class_id == a
    assert moved.enrolment_on(date(2024, 11, 1)).class_id == b
    assert world.events(LearnerMovedClass)[0].to_class_id == b


def test_class_move_to_another_school_needs_a_transfer(world):
    a, other = world.open_class(world.school_a), world.open_class(world.school_b)
    learner_id = world.enrolled(world.school_a, a)
    with pytest.raises(Invalid) as info:
        world.do(commands.MoveLearnerToClass(learner_id, other), world.admin(world.school_a))
    assert info.value.code == "class_move_other_school"


def test_withdrawal_records_coded_reason_and_date(world):
    learner_id = world.enrolled(world.school_a, world.open_class(world.school_a))
    world.do(commands.WithdrawLearner(learner_id, WithdrawalReason.MOVED_ABROAD, date(2024, 12, 1)),
             world.admin(world.school_a))
    withdrawn = world.learner(learner_id)
    assert withdrawn.status is LearnerStatus.WITHDRAWN and withdrawn.open_enrolment is None
    [event] = world.events(LearnerWithdrawn)
    assert (event.reason, event.on) == ("moved_abroad", date(2024, 12, 1))


def test_withdrawal_for_other_reason_needs_a_note(world):
    learner_id = world.enrolled(world.school_a, world.open_class(world.school_a))
    with pytest.raises(Invalid) as info:
        world.do(commands.WithdrawLearner(learner_id, WithdrawalReason.OTHER), world.admin(world.school_a))
    assert info.value.field == "note"


def test_withdrawing_a_learner_who_is_not_enrolled_is_refused(world):
    with pytest.raises(Conflict) as info:
        world.do(commands.WithdrawLearner(_register(world), WithdrawalReason.WORK), world.admin(world.school_a))
    assert info.value.code == "learner_not_enrolled"
