"""A guardian never sees another child: every view and command answers a guessed or foreign id exactly like an
id that does not exist, and other roles get nothing from the guardian views."""

from __future__ import annotations

import pytest
from parent.domain.errors import Forbidden, NotFound
from parent.service_layer import views
from parent.service_layer.handlers import messaging
from parent.service_layer.handlers.claims import RemoveChild, remove_child
from parent.service_layer.handlers.messaging import RequestConsultation, StartThread

from .conftest import MOTHER, STRANGER, TEACHER

CHILD_VIEWS = {
    "child": lambda p, lid, d: views.child(p, lid, d),
    "day": lambda p, lid, d: views.day(p, lid, d),
    "attendance": lambda p, lid, d: views.attendance(p, lid, 2026, 11, d),
    "school_years": lambda p, lid, d: views.school_years(p, lid, d),
    "homework": lambda p, lid, d: views.homework(p, lid, d),
    "timetable": lambda p, lid, d: views.timetable(p, lid, d),
    "teachers": lambda p, lid, d: views.teachers(p, lid, d),
    "growth": lambda p, lid, d: views.growth_chart(p, lid, d),
    "threads": lambda p, lid, d: views.threads(p, lid, d),
    "access_log": lambda p, lid, d: views.access_log(p, lid, "token", d),
    "start_thread": lambda p, lid, d: messaging.start_thread(StartThread(lid, "acc-teacher", "Сэдэв", "Сайн уу"), p, d),
    "consultation": lambda p, lid, d: messaging.request_consultation(
        RequestConsultation(lid, "acc-teacher", "Дүн", "Мягмар"), p, d),
    "remove": lambda p, lid, d: remove_child(RemoveChild(p.subject, lid, p.role), d),
}


@pytest.mark.parametrize("name", sorted(CHILD_VIEWS))
@pytest.mark.parametrize("learner_id", ["lrn-other", "lrn-guessed-000", "", "../lrn-bat", "LRN-BAT"])
def test_a_foreign_or_guessed_child_is_not_found_the_same_way(name, learner_id, linked) -> None:
    with pytest.raises(NotFound) as refused:
        CHILD_VIEWS[name](MOTHER, learner_id, linked)

    assert refused.value.code == "child_not_found"
    assert refused.value.details == {}


@pytest.mark.parametrize("name", sorted(set(CHILD_VIEWS) - {"start_thread"}))
def test_a_teacher_token_does_not_open_the_guardian_views(name, linked) -> None:
    with pytest.raises(Forbidden):
        CHILD_VIEWS[name](TEACHER, "lrn-bat", linked)


@pytest.mark.parametrize("name", sorted(set(CHILD_VIEWS) - {"remove", "start_thread", "consultation"}))
def test_the_guardian_sees_their_own_child(name, linked) -> None:
    CHILD_VIEWS[name](MOTHER, "lrn-bat", linked)


def test_the_children_list_holds_only_the_callers_children(linked) -> None:
    mine = {c.child.learner_id for c in views.children(MOTHER, linked)}
    theirs = {c.child.learner_id for c in views.children(STRANGER, linked)}

    assert mine == {"lrn-bat", "lrn-sarnai"}
    assert theirs == {"lrn-other"}


def test_another_guardians_thread_is_not_found(linked) -> None:
    thread = messaging.start_thread(StartThread("lrn-bat", "acc-teacher", "Сэдэв", "Сайн уу"), MOTHER, linked)

    for guessed in (thread.thread_id, "thr-0000000000000000"):
        with pytest.raises(NotFound):
            views.thread(STRANGER, guessed, linked)
        with pytest.raises(NotFound):
            messaging.post_message(guessed, "Сайн уу", STRANGER, linked)


def test_a_revoked_guardian_loses_their_threads(linked) -> None:
    thread = messaging.start_thread(StartThread("lrn-bat", "acc-teacher", "Сэдэв", "Сайн уу"), MOTHER, linked)
    remove_child(RemoveChild(MOTHER.subject, "lrn-bat"), linked)

    with pytest.raises(NotFound):
        views.thread(MOTHER, thread.thread_id, linked)


def test_the_access_log_is_read_with_the_guardians_own_token(linked) -> None:
    views.access_log(MOTHER, "lrn-bat", "mothers-token", linked)

    assert linked.access_log.tokens == ["mothers-token"]


def test_the_access_log_is_never_asked_for_a_foreign_child(linked) -> None:
    with pytest.raises(NotFound):
        views.access_log(MOTHER, "lrn-other", "mothers-token", linked)

    assert linked.access_log.tokens == []
