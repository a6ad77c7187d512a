"""Homework, the lesson log, and kindergarten growth and development through the handlers."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from teacher.domain import events
from teacher.domain.errors import Conflict, Invalid, NotPermitted, Refused
from teacher.service_layer import commands
from teacher.service_layer.views import journal as views

from ..conftest import MONDAY, OTHER_TEACHER, SATURDAY, TEACHER, TUESDAY
from .conftest import Journal


def homework(journal: Journal, text: str = "Дасгал 12, 13-ыг бодох", due_on: date = date(2026, 12, 3),
             content_ids: tuple[str, ...] = ("textbook-math6:ch4",), actor=TEACHER, subject: str = "math"):
    return journal.handle(commands.AssignHomework(actor, "6a", subject, due_on, text, content_ids))


def test_homework_is_published_with_its_content_links(journal: Journal) -> None:
    item = homework(journal, content_ids=("textbook-math6:ch4", "video-17", "textbook-math6:ch4"))
    assert (item.assigned_on, item.content_ids) == (TUESDAY, ("textbook-math6:ch4", "video-17"))
    (event,) = journal.events(events.HomeworkAssigned)
    assert (event.homework_id, event.where.class_id, event.due_on, event.text) == (
        item.id, "6a", date(2026, 12, 3), "Дасгал 12, 13-ыг бодох")
    listed = views.class_journal(TEACHER, journal.uow(), journal.context, "6a")
    assert [h.id for h in listed.homework] == [item.id] and listed.subjects == ["math", "mongolian"]


@pytest.mark.parametrize("kwargs, field", [
    ({"text": "   "}, "text"), ({"due_on": date(2026, 11, 30)}, "due_on"), ({"due_on": date(2027, 6, 1)}, "due_on"),
    ({"content_ids": ("bad id with spaces",)}, "content_ids[0]")])
def test_bad_homework_names_the_field(journal: Journal, kwargs: dict, field: str) -> None:
    with pytest.raises(Invalid) as exc:
        homework(journal, **kwargs)
    assert exc.value.details["fields"][0]["field"] == field
    assert journal.events() == []


def test_homework_for_someone_elses_class_is_refused(journal: Journal) -> None:
    with pytest.raises(NotPermitted):
        homework(journal, actor=OTHER_TEACHER)


def test_logging_a_lesson_again_replaces_its_topic(journal: Journal) -> None:
    journal.handle(commands.LogLessonTopic(TEACHER, "6a", "math", MONDAY, 2, "Бутархай тоо"))
    again = journal.handle(commands.LogLessonTopic(TEACHER, "6a", "math", MONDAY, 2, "Бутархайн нэмэх",
                                                   "Сурагчид идэвхтэй"))
    listed = views.class_journal(TEACHER, journal.uow(), journal.context, "6a")
    assert [(t.id, t.topic, t.notes) for t in listed.topics] == [(again.id, "Бутархайн нэмэх", "Сурагчид идэвхтэй")]


def test_a_lesson_cannot_be_logged_on_a_weekend(journal: Journal) -> None:
    with pytest.raises(Refused, match="weekend"):
        journal.handle(commands.LogLessonTopic(TEACHER, "6a", "math", SATURDAY, 1, "Давталт"))


def growth(journal: Journal, day: date, height: str, weight: str, confirmed: bool = False, learner: str = "K1"):
    return journal.handle(commands.RecordGrowth(TEACHER, "kg-b", learner, day, height, weight, confirmed))


def test_a_growth_measurement_is_recorded_and_published(journal: Journal) -> None:
    measurement = growth(journal, date(2026, 10, 1), "108.4", "17,9")
    assert (measurement.height_cm, measurement.weight_kg) == (Decimal("108.4"), Decimal("17.9"))
    (event,) = journal.events(events.GrowthMeasured)
    assert (event.learner_id, event.where.class_id, event.height_cm) == ("K1", "kg-b", Decimal("108.4"))


@pytest.mark.parametrize("height, weight, field", [("10.8", "18", "height_cm"), ("108", "180", "weight_kg"),
                                                   ("abc", "18", "height_cm")])
def test_an_implausible_value_is_refused_naming_the_field(journal: Journal, height: str, weight: str,
                                                          field: str) -> None:
    with pytest.raises(Invalid) as exc:
        growth(journal, date(2026, 10, 1), height, weight)
    assert exc.value.details["fields"][0]["field"] == field


def test_a_shrinking_child_needs_the_teachers_confirmation(journal: Journal) -> None:
    growth(journal, date(2026, 10, 1), "108.4", "17.9")
    with pytest.raises(Refused) as exc:
        growth(journal, date(2026, 11, 2), "104.0", "18.1")
    assert exc.value.code == "needs_confirmation" and exc.value.details["fields"][0]["field"] == "height_cm"
    assert exc.value.details["previous"]["height_cm"] == "108.4"
    assert growth(journal, date(2026, 11, 2), "104.0", "18.1", confirmed=True).height_cm == Decimal("104.0")


def test_a_weight_jump_needs_confirmation_and_a_second_measurement_the_same_day_is_a_conflict(
        journal: Journal) -> None:
    growth(journal, date(2026, 10, 1), "108.4", "17.9")
    with pytest.raises(Refused, match="Weight changed"):
        growth(journal, date(2026, 11, 2), "109", "25")
    with pytest.raises(Conflict):
        growth(journal, date(2026, 10, 1), "108.5", "17.9")


def test_growth_is_only_for_kindergarten_groups(journal: Journal) -> None:
    with pytest.raises(Refused) as exc:
        journal.handle(commands.RecordGrowth(TEACHER, "3b", "P1", MONDAY, "120", "22"))
    assert exc.value.code == "not_a_kindergarten_group"


def test_a_child_of_another_group_is_refused(journal: Journal) -> None:
    with pytest.raises(Refused) as exc:
        growth(journal, MONDAY, "108", "18", learner="P1")
    assert exc.value.code == "learner_not_enrolled"


def test_a_development_observation_is_recorded_with_reference_codes(journal: Journal) -> None:
    journal.handle(commands.RecordObservation(TEACHER, "kg-b", "K2", MONDAY, "language", "developing",
                                              "Өгүүлбэрээр ярьдаг болсон"))
    (event,) = journal.events(events.DevelopmentObserved)
    assert (event.learner_id, event.domain, event.level, event.note) == ("K2", "language", "developing",
                                                                         "Өгүүлбэрээр ярьдаг болсон")
    record = views.child_record(TEACHER, journal.uow(), "kg-b", "K2")
    assert [o.domain for o in record.observations] == ["language"]


def test_an_unknown_development_domain_names_the_field(journal: Journal) -> None:
    with pytest.raises(Invalid) as exc:
        journal.handle(commands.RecordObservation(TEACHER, "kg-b", "K2", MONDAY, "maths", "developing"))
    assert exc.value.details["fields"][0]["field"] == "domain"
