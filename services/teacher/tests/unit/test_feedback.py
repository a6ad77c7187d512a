"""Teacher feedback to the ministry: the inbox, forwarding, answers, anonymity towards the school, counts."""

from __future__ import annotations

import pytest
from teacher.domain import events
from teacher.domain.access import Actor
from teacher.domain.errors import Invalid, NotFound, NotPermitted, Refused
from teacher.domain.feedback import FeedbackStatus
from teacher.service_layer import commands
from teacher.service_layer.views import feedback as views

from ..conftest import (
    ARKHANGAI_OFFICER,
    MANAGER,
    MINISTRY,
    OTHER_MANAGER,
    OTHER_TEACHER,
    SCHOOL,
    TEACHER,
    UB,
    UB_OFFICER,
)
from .conftest import Journal

TEXT = "Сурах бичиг хангалтгүй байна, 6-р ангид 30 хүүхдэд 12 ном ирсэн."


def send(journal: Journal, anonymous: bool = False, category: str = "curriculum", actor: Actor = TEACHER,
         attachment: str = ""):
    return journal.handle(commands.SendFeedback(actor, category, TEXT, attachment, anonymous))


def forwarded_to_school(journal: Journal, anonymous: bool):
    item = send(journal, anonymous)
    journal.handle(commands.ReviewFeedback(MINISTRY, item.id))
    journal.handle(commands.ForwardFeedback(MINISTRY, item.id, "school", SCHOOL, "Сургууль шийдвэрлэнэ үү"))
    return item


def test_feedback_reaches_the_ministry_inbox_with_its_school_and_aimag(journal: Journal) -> None:
    item = send(journal, attachment="files/photo-123.jpg")
    assert (item.status, item.school_id, item.aimag) == (FeedbackStatus.RECEIVED, SCHOOL, UB)
    (listed,) = views.inbox(MINISTRY, journal.uow())
    assert (listed.feedback.id, listed.sender_id, listed.handled_as) == (item.id, TEACHER.account_id, "ministry")
    (event,) = journal.events(events.FeedbackReceived)
    assert (event.category, event.aimag, event.school_id, event.has_attachment) == ("curriculum", UB, SCHOOL, True)


def test_the_teacher_follows_the_status_to_the_answer(journal: Journal) -> None:
    item = send(journal)
    journal.handle(commands.ReviewFeedback(MINISTRY, item.id))
    journal.handle(commands.AnswerFeedback(MINISTRY, item.id, "Нэмэлт ном 12-р сард хүргэгдэнэ."))
    (mine,) = views.my_feedback(TEACHER, journal.uow())
    assert mine.feedback.status is FeedbackStatus.ANSWERED
    assert mine.feedback.answer == "Нэмэлт ном 12-р сард хүргэгдэнэ."
    assert [h.status.value for h in mine.feedback.history] == ["received", "in_review", "answered"]
    assert [type(e).__name__ for e in journal.events()] == ["FeedbackReceived", "FeedbackStatusChanged",
                                                            "FeedbackAnswered"]


def test_events_never_name_the_sender_and_hide_the_school_of_anonymous_feedback(journal: Journal) -> None:
    forwarded_to_school(journal, anonymous=True)
    published = journal.events()
    assert all(TEACHER.account_id not in repr(e) for e in published)
    assert {e.school_id for e in published if isinstance(e, events.FeedbackEvent)} == {""}


def test_the_school_never_sees_who_sent_anonymous_feedback(journal: Journal) -> None:
    item = forwarded_to_school(journal, anonymous=True)
    (seen,) = views.inbox(MANAGER, journal.uow())
    assert (seen.feedback.text, seen.sender_id, seen.handled_as) == (TEXT, None, "school")
    assert views.feedback_detail(MANAGER, journal.uow(), item.id).sender_id is None
    assert views.feedback_detail(MINISTRY, journal.uow(), item.id).sender_id == TEACHER.account_id


def test_the_school_sees_the_sender_when_the_teacher_did_not_ask_for_anonymity(journal: Journal) -> None:
    forwarded_to_school(journal, anonymous=False)
    assert views.inbox(MANAGER, journal.uow())[0].sender_id == TEACHER.account_id


def test_the_school_answers_what_was_forwarded_to_it(journal: Journal) -> None:
    item = forwarded_to_school(journal, anonymous=True)
    answered = journal.handle(commands.AnswerFeedback(MANAGER, item.id, "Номын сангаас 18 ном нэмж олгоно."))
    assert answered.status is FeedbackStatus.ANSWERED
    (event,) = journal.events(events.FeedbackAnswered)
    assert event.answered_by_kind == "school"


def test_feedback_not_forwarded_to_a_school_is_invisible_to_it(journal: Journal) -> None:
    item = send(journal)
    assert views.inbox(MANAGER, journal.uow()) == []
    with pytest.raises(NotFound):
        views.feedback_detail(MANAGER, journal.uow(), item.id)
    forwarded = forwarded_to_school(journal, anonymous=False)
    with pytest.raises(NotFound):
        journal.handle(commands.AnswerFeedback(OTHER_MANAGER, forwarded.id, "Бид хариулъя гэж бодсон"))


def test_an_aimag_answers_feedback_forwarded_to_it(journal: Journal) -> None:
    item = send(journal)
    journal.handle(commands.ReviewFeedback(MINISTRY, item.id))
    journal.handle(commands.ForwardFeedback(MINISTRY, item.id, "aimag", UB))
    assert [i.feedback.id for i in views.inbox(UB_OFFICER, journal.uow())] == [item.id]
    assert views.inbox(ARKHANGAI_OFFICER, journal.uow()) == []
    journal.handle(commands.AnswerFeedback(UB_OFFICER, item.id, "Нийслэлийн боловсролын газар шийдвэрлэв."))


def test_only_the_ministry_reviews_and_forwards(journal: Journal) -> None:
    item = forwarded_to_school(journal, anonymous=False)
    with pytest.raises(NotPermitted):
        journal.handle(commands.ForwardFeedback(MANAGER, item.id, "aimag", UB))


def test_status_moves_only_forward(journal: Journal) -> None:
    item = send(journal)
    with pytest.raises(Refused) as exc:
        journal.handle(commands.ForwardFeedback(MINISTRY, item.id, "school", SCHOOL))
    assert exc.value.code == "bad_transition"
    with pytest.raises(Refused):
        journal.handle(commands.AnswerFeedback(MINISTRY, item.id, "Хариу"))


def test_a_teacher_cannot_read_another_teachers_feedback(journal: Journal) -> None:
    item = send(journal)
    with pytest.raises(NotFound):
        views.feedback_detail(OTHER_TEACHER, journal.uow(), item.id)


@pytest.mark.parametrize("kwargs, field", [({"category": "gossip"}, "category"), ({"attachment": "../etc/passwd x"},
                                                                                   "attachment_ref")])
def test_bad_feedback_names_the_field(journal: Journal, kwargs: dict, field: str) -> None:
    with pytest.raises(Invalid) as exc:
        send(journal, **kwargs)
    assert exc.value.details["fields"][0]["field"] == field


def test_too_short_feedback_is_refused(journal: Journal) -> None:
    with pytest.raises(Invalid) as exc:
        journal.handle(commands.SendFeedback(TEACHER, "other", "Муу"))
    assert exc.value.code == "too_short"


def test_only_teachers_send_feedback(journal: Journal) -> None:
    with pytest.raises(NotPermitted):
        send(journal, actor=MANAGER)


def test_the_ministry_counts_feedback_by_category_and_aimag(journal: Journal) -> None:
    send(journal)
    send(journal, category="pay")
    send(journal, category="pay", actor=Actor("acc-n", "teacher", frozenset({"school-40"}), frozenset({"9a-40"})))
    result = views.counts(MINISTRY, journal.uow())
    assert result.by_category == {"curriculum": 1, "pay": 2}
    assert result.by_aimag == {UB: 2, "65": 1}
    assert result.by_category_and_aimag[("pay", "65")] == 1 and result.total == 3
    with pytest.raises(NotPermitted):
        views.counts(MANAGER, journal.uow())
