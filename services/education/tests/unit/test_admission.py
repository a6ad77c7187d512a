from datetime import date

import pytest
from education.domain.admission import ApplicationState
from education.domain.errors import Conflict, Invalid, NeedsConfirmation
from education.domain.events import AdmissionDecided, LearnerEnrolled
from education.service_layer import commands, views

YEAR = "2024-2025"


def _apply(world, *, birth=date(2018, 3, 14), level="1", school=None, **extra):
    school = school or world.school_a
    learner_id = world.register(school, birth=birth, **extra)
    return world.do(commands.SubmitApplication(school, learner_id, YEAR, level), world.admin(school)), learner_id


def _approve(world, application_id, school=None, **kwargs):
    world.do(commands.ApproveApplication(application_id, **kwargs), world.admin(school or world.school_a))


def _application(world, application_id):
    return world.store.tables["applications"][application_id]


def test_child_turning_6_in_the_entry_year_is_approved_without_warnings(world):
    application_id, _ = _apply(world, birth=date(2018, 12, 31))
    _approve(world, application_id)
    assert _application(world, application_id).state is ApplicationState.APPROVED


def test_child_turning_5_needs_an_age_override_with_reason(world):
    application_id, _ = _apply(world, birth=date(2019, 1, 1))
    with pytest.raises(NeedsConfirmation) as info:
        _approve(world, application_id)
    assert [w.code for w in info.value.warnings] == ["age_rule"]
    assert "5 нас" in info.value.warnings[0].message_mn
    with pytest.raises(NeedsConfirmation):
        _approve(world, application_id, overrides={"age_rule": "  "})
    _approve(world, application_id, overrides={"age_rule": "Сэтгэл зүйчийн дүгнэлттэй"})
    approved = _application(world, application_id)
    assert approved.overrides == {"age_rule": "Сэтгэл зүйчийн дүгнэлттэй"}
    assert world.events(AdmissionDecided)[-1].overridden == ("age_rule",)


def test_age_rule_applies_to_kindergarten_groups(world):
    application_id, _ = _apply(world, birth=date(2020, 5, 1), level="бэлтгэл", school=world.kindergarten)
    with pytest.raises(NeedsConfirmation) as info:
        _approve(world, application_id, school=world.kindergarten)
    assert info.value.warnings[0].details == {"age": 4, "expected_age": 5}


def test_age_rule_does_not_apply_above_grade_1(world):
    application_id, _ = _apply(world, birth=date(2010, 1, 1), level="5")
    _approve(world, application_id)
    assert _application(world, application_id).state is ApplicationState.APPROVED


def test_home_outside_catchment_needs_an_override(world):
    world.do(commands.SetCatchment(world.school_a, ("6501",)))
    application_id, _ = _apply(world, area_code="6503")
    with pytest.raises(NeedsConfirmation) as info:
        _approve(world, application_id)
    assert [w.code for w in info.value.warnings] == ["outside_catchment"]
    _approve(world, application_id, overrides={"outside_catchment": "Ах нь энэ сургуульд сурдаг"})


def test_home_inside_catchment_passes(world):
    world.do(commands.SetCatchment(world.school_a, ("6501",)))
    application_id, _ = _apply(world, area_code="6501")
    _approve(world, application_id)


def test_approval_with_a_class_enrols_the_child(world):
    class_id = world.open_class(world.school_a)
    application_id, learner_id = _apply(world)
    _approve(world, application_id, class_id=class_id)
    assert world.learner(learner_id).open_enrolment.class_id == class_id
    assert world.events(LearnerEnrolled)[0].via == "admission"


def test_approval_into_a_full_class_changes_nothing(world):
    class_id = world.open_class(world.school_a, capacity=1)
    world.enrolled(world.school_a, class_id)
    application_id, learner_id = _apply(world)
    with pytest.raises(Conflict):
        _approve(world, application_id, class_id=class_id)
    assert _application(world, application_id).state is ApplicationState.SUBMITTED
    assert world.learner(learner_id).open_enrolment is None


def test_approval_into_a_class_of_another_grade_is_refused(world):
    class_id = world.open_class(world.school_a, level="5")
    application_id, _ = _apply(world)
    with pytest.raises(Invalid) as info:
        _approve(world, application_id, class_id=class_id)
    assert info.value.field == "class_id"


def test_suspend_lists_missing_documents_then_approve_later(world):
    application_id, _ = _apply(world)
    world.do(commands.SuspendApplication(application_id, ("Төрсний гэрчилгээ",)), world.admin(world.school_a))
    suspended = _application(world, application_id)
    assert suspended.state is ApplicationState.SUSPENDED and suspended.missing_documents == ["Төрсний гэрчилгээ"]
    _approve(world, application_id)
    assert _application(world, application_id).state is ApplicationState.APPROVED


def test_suspend_without_documents_is_refused(world):
    application_id, _ = _apply(world)
    with pytest.raises(Invalid) as info:
        world.do(commands.SuspendApplication(application_id, ("",)), world.admin(world.school_a))
    assert info.value.field == "missing_documents"


def test_reject_needs_a_reason_and_is_final(world):
    application_id, _ = _apply(world)
    with pytest.raises(Invalid):
        world.do(commands.RejectApplication(application_id, ""), world.admin(world.school_a))
    world.do(commands.RejectApplication(application_id, "Тойрогт хамаарахгүй"), world.admin(world.school_a))
    with pytest.raises(Conflict) as info:
        _approve(world, application_id)
    assert info.value.code == "admission_already_decided"


def test_admission_queue_lists_the_schools_applications(world):
    first, _ = _apply(world)
    _apply(world, school=world.school_b)
    queue = views.admission_queue(world.ctx(world.admin(world.school_a)), world.school_a)
    assert [a.id for a in queue] == [first]
