"""Threads between one guardian and one of the child's teachers; consultations the teacher answers with a time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from esis_shared.auth import Principal
from parent.domain import events
from parent.domain.errors import Conflict, Invalid, NotFound
from parent.service_layer import views
from parent.service_layer.handlers import messaging as m
from parent.service_layer.handlers.settings import UpdateProfile, update_profile

from .conftest import MOTHER, OTHER_TEACHER, STRANGER, TEACHER


def test_a_guardian_writes_to_the_childs_teacher_and_the_teacher_sees_it(linked, state) -> None:
    thread = m.start_thread(m.StartThread("lrn-bat", "acc-teacher", "Математик", "Гэрийн даалгавар?"), MOTHER, linked)

    inbox, _ = views.teacher_inbox(TEACHER, linked)
    assert [t.thread_id for t in inbox] == [thread.thread_id]
    assert [x.text for x in views.thread(TEACHER, thread.thread_id, linked).messages] == ["Гэрийн даалгавар?"]
    assert isinstance(state.events[-1], events.MessagePosted) and state.events[-1].author_role == "guardian"


def test_a_teachers_reply_notifies_only_that_guardian(linked, state) -> None:
    update_profile(UpdateProfile("Оюун", "99112233", ""), MOTHER, linked)
    update_profile(UpdateProfile("Болд", "88001122", ""), STRANGER, linked)
    thread = m.start_thread(m.StartThread("lrn-bat", "acc-teacher", "Математик", "Сайн уу"), MOTHER, linked)

    message = m.post_message(thread.thread_id, "Сайн байна уу, маргааш уулзъя.", TEACHER, linked)

    [request] = state.notifications
    assert (request.account_id, request.key) == ("acc-mother", f"message:{message.message_id}:acc-mother")
    assert "Б.Сараа" in request.text
    assert [x.author_role for x in views.thread(MOTHER, thread.thread_id, linked).messages] == ["guardian", "teacher"]


def test_writing_twice_to_the_same_teacher_continues_the_thread(linked) -> None:
    first = m.start_thread(m.StartThread("lrn-bat", "acc-teacher", "Математик", "Нэг"), MOTHER, linked)
    again = m.start_thread(m.StartThread("lrn-bat", "acc-teacher", "Өөр сэдэв", "Хоёр"), MOTHER, linked)

    assert again.thread_id == first.thread_id
    assert len(views.thread(MOTHER, first.thread_id, linked).messages) == 2


def test_a_teacher_who_does_not_teach_the_child_cannot_be_written_to(linked) -> None:
    with pytest.raises(NotFound) as refused:
        m.start_thread(m.StartThread("lrn-bat", "acc-teacher-2", "Сэдэв", "Сайн уу"), MOTHER, linked)

    assert refused.value.code == "teacher_not_found"


def test_a_teacher_of_another_class_cannot_read_or_answer(linked) -> None:
    thread = m.start_thread(m.StartThread("lrn-bat", "acc-teacher", "Сэдэв", "Сайн уу"), MOTHER, linked)

    with pytest.raises(NotFound):
        views.thread(OTHER_TEACHER, thread.thread_id, linked)
    with pytest.raises(NotFound):
        m.start_thread(m.StartThread("lrn-bat", "acc-mother", "Сэдэв", "Сайн уу"), OTHER_TEACHER, linked)


def test_a_teacher_can_start_a_thread_with_a_linked_guardian_only(linked) -> None:
    thread = m.start_thread(m.StartThread("lrn-bat", "acc-mother", "Ирц", "Бат өнөөдөр ирээгүй."), TEACHER, linked)

    assert [t.thread_id for t in views.threads(MOTHER, "lrn-bat", linked)[0]] == [thread.thread_id]
    with pytest.raises(NotFound):
        m.start_thread(m.StartThread("lrn-bat", "acc-stranger", "Ирц", "x"), TEACHER, linked)


def test_an_empty_or_huge_message_names_the_field(linked) -> None:
    with pytest.raises(Invalid) as empty:
        m.start_thread(m.StartThread("lrn-bat", "acc-teacher", "Сэдэв", "   "), MOTHER, linked)
    with pytest.raises(Invalid) as huge:
        m.start_thread(m.StartThread("lrn-bat", "acc-teacher", "Сэдэв", "я" * 2001), MOTHER, linked)

    assert empty.value.details["fields"][0]["field"] == "text"
    assert huge.value.code == "too_long"


def test_a_consultation_is_accepted_with_a_time_and_the_guardian_is_told(linked, state) -> None:
    update_profile(UpdateProfile("Оюун", "99112233", ""), MOTHER, linked)
    asked = m.request_consultation(m.RequestConsultation("lrn-bat", "acc-teacher", "Математикийн дүн",
                                                         "Мягмар 17:00-с хойш"), MOTHER, linked)
    at = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)

    answered = m.answer_consultation(m.AnswerConsultation(asked.consultation_id, True, at, "202 тоот"), TEACHER,
                                     linked)

    assert (answered.state, answered.scheduled_for) == ("accepted", at)
    assert views.threads(MOTHER, "lrn-bat", linked)[1][0].teacher_note == "202 тоот"
    assert state.notifications[-1].key == f"consultation:{asked.consultation_id}:acc-mother"
    assert isinstance(state.events[-1], events.ConsultationAnswered)


def test_a_consultation_answered_once_cannot_be_answered_again(linked) -> None:
    asked = m.request_consultation(m.RequestConsultation("lrn-bat", "acc-teacher", "Дүн", ""), MOTHER, linked)
    m.answer_consultation(m.AnswerConsultation(asked.consultation_id, False, None, "Завгүй"), TEACHER, linked)

    with pytest.raises(Conflict):
        m.answer_consultation(m.AnswerConsultation(asked.consultation_id, True, linked.clock() + timedelta(days=1)),
                              TEACHER, linked)


def test_a_consultation_in_the_past_or_for_another_teacher_is_refused(linked) -> None:
    asked = m.request_consultation(m.RequestConsultation("lrn-bat", "acc-teacher", "Дүн", ""), MOTHER, linked)

    with pytest.raises(Invalid):
        m.answer_consultation(m.AnswerConsultation(asked.consultation_id, True, linked.clock() - timedelta(hours=1)),
                              TEACHER, linked)
    with pytest.raises(NotFound):
        m.answer_consultation(m.AnswerConsultation(asked.consultation_id, False, None), OTHER_TEACHER, linked)


def test_the_api_inbox_leaves_out_children_the_teacher_no_longer_teaches(linked) -> None:
    """A thread stays addressed to its teacher after a class change; the inbox follows the token's classes."""
    thread = m.start_thread(m.StartThread("lrn-bat", "acc-teacher", "Сэдэв", "Сайн уу"), MOTHER, linked)
    m.request_consultation(m.RequestConsultation("lrn-bat", "acc-teacher", "Уулзах", "Мягмар 17:00"), MOTHER, linked)
    moved_on = Principal("acc-teacher", "teacher", class_ids=frozenset({"cls-9a"}), name="Б.Сараа")

    assert [t.thread_id for t in views.teacher_inbox(TEACHER, linked)[0]] == [thread.thread_id]
    assert len(views.teacher_inbox(TEACHER, linked)[1]) == 1
    assert views.teacher_inbox(moved_on, linked) == ([], [])
