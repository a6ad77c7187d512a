"""Claiming a child: a verified claim links exactly that child; a wrong one reveals nothing and is throttled."""

from __future__ import annotations

from datetime import timedelta

import pytest
from parent.domain import events
from parent.domain.errors import Invalid, NotFound, Throttled, Unavailable
from parent.domain.guardians import Claim
from parent.service_layer import views
from parent.service_layer.handlers.claims import ClaimChild, RemoveChild, claim_child, remove_child
from parent.service_layer.handlers.settings import UpdateProfile, update_profile

from .conftest import MOTHER, STRANGER, claim


def test_a_matching_claim_links_the_child_and_tells_identity(deps, state) -> None:
    link, child = claim_child(ClaimChild(MOTHER.subject, claim()), deps)

    assert (link.learner_id, link.relationship, child.given_name) == ("lrn-bat", "mother", "Бат")
    assert [c.child.learner_id for c in views.children(MOTHER, deps)] == ["lrn-bat"]
    assert state.events == [events.ChildLinked("acc-mother", "lrn-bat", "grd-1", "mother", deps.clock())]


def test_claiming_the_same_child_twice_keeps_one_link_and_one_event(deps, state) -> None:
    claim_child(ClaimChild(MOTHER.subject, claim()), deps)
    claim_child(ClaimChild(MOTHER.subject, claim()), deps)

    assert len(views.children(MOTHER, deps)) == 1
    assert len(state.events) == 1


def test_a_refusal_is_the_same_for_an_unknown_child_and_a_wrong_name(deps) -> None:
    with pytest.raises(NotFound) as unknown_child:
        claim_child(ClaimChild(STRANGER.subject, claim("ХО09123456")), deps)
    with pytest.raises(NotFound) as wrong_name:
        claim_child(ClaimChild(STRANGER.subject, claim(name="Болд")), deps)
    with pytest.raises(NotFound) as wrong_phone:
        claim_child(ClaimChild(STRANGER.subject, claim(phone="88887777")), deps)

    answers = {(e.value.code, e.value.message, e.value.message_mn, str(e.value.details))
               for e in (unknown_child, wrong_name, wrong_phone)}
    assert len(answers) == 1
    assert answers.pop()[0] == "claim_not_confirmed"
    assert views.children(STRANGER, deps) == []


def test_five_wrong_claims_lock_claims_for_an_hour_even_a_right_one(deps, education, clock) -> None:
    for _ in range(5):
        with pytest.raises(NotFound):
            claim_child(ClaimChild(MOTHER.subject, claim(name="Буруу")), deps)
    asked = education.calls

    with pytest.raises(Throttled) as refused:
        claim_child(ClaimChild(MOTHER.subject, claim()), deps)

    assert education.calls == asked, "a locked account must not reach the register at all"
    assert 3500 < refused.value.details["retry_after_s"] <= 3601
    clock.now += timedelta(hours=1, seconds=1)
    link, _ = claim_child(ClaimChild(MOTHER.subject, claim()), deps)
    assert link.learner_id == "lrn-bat"


def test_failures_spread_over_more_than_half_an_hour_do_not_lock(deps, clock) -> None:
    for _ in range(8):
        with pytest.raises(NotFound):
            claim_child(ClaimChild(MOTHER.subject, claim(name="Буруу")), deps)
        clock.now += timedelta(minutes=10)

    assert claim_child(ClaimChild(MOTHER.subject, claim()), deps)[0].learner_id == "lrn-bat"


def test_the_throttle_is_per_account(deps) -> None:
    for _ in range(5):
        with pytest.raises(NotFound):
            claim_child(ClaimChild(STRANGER.subject, claim(name="Буруу")), deps)

    assert claim_child(ClaimChild(MOTHER.subject, claim()), deps)[0].learner_id == "lrn-bat"


def test_a_malformed_register_number_names_the_field_and_is_not_sent() -> None:
    with pytest.raises(Invalid) as refused:
        Claim.of(learner_register_number="12345", guardian_given_name="Оюун", guardian_phone="99112233")

    assert refused.value.details["fields"][0]["field"] == "learner_register_number"


def test_a_claim_needs_the_phone_or_the_register_number_of_the_guardian() -> None:
    with pytest.raises(Invalid) as refused:
        Claim.of(learner_register_number="УБ14230211", guardian_given_name="Оюун")

    assert refused.value.details["fields"][0]["field"] == "guardian_phone"


def test_register_numbers_never_show_in_a_claims_repr() -> None:
    typed = Claim.of(learner_register_number="уб 14230211", guardian_given_name="Оюун",
                     guardian_register_number="УБ80010101")

    assert typed.learner_register_number == "УБ14230211"
    assert "14230211" not in repr(typed) and "80010101" not in repr(typed)


def test_education_being_down_is_not_counted_as_a_wrong_claim(deps, education) -> None:
    education.down = True
    for _ in range(6):
        with pytest.raises(Unavailable):
            claim_child(ClaimChild(MOTHER.subject, claim()), deps)
    education.down = False

    assert claim_child(ClaimChild(MOTHER.subject, claim()), deps)[0].learner_id == "lrn-bat"


def test_a_guardian_can_remove_a_child_and_identity_is_told(linked, state) -> None:
    remove_child(RemoveChild(MOTHER.subject, "lrn-bat"), linked)

    assert [c.child.learner_id for c in views.children(MOTHER, linked)] == ["lrn-sarnai"]
    assert state.events[-1] == events.ChildUnlinked("acc-mother", "lrn-bat", "removed_by_guardian",
                                                    linked.clock())


def test_removing_a_child_that_is_not_yours_is_not_found(linked) -> None:
    with pytest.raises(NotFound):
        remove_child(RemoveChild(MOTHER.subject, "lrn-other"), linked)


def test_the_phone_the_school_confirmed_becomes_the_sms_number(deps) -> None:
    claim_child(ClaimChild(MOTHER.subject, claim()), deps)

    assert views.settings(MOTHER, deps)[0].phone == "99112233"


def test_a_phone_the_guardian_chose_is_kept(deps) -> None:
    update_profile(UpdateProfile("Оюун", "88887777", ""), MOTHER, deps)
    claim_child(ClaimChild(MOTHER.subject, claim()), deps)

    assert views.settings(MOTHER, deps)[0].phone == "88887777"
