"""Homework (per class and subject, with a due date, text and links to e-content) and the lesson topic log."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from teacher.domain import events
from teacher.domain.errors import invalid

MAX_TEXT = 4000
MAX_TOPIC = 300
MAX_NOTES = 2000
MAX_CONTENT_IDS = 20
MAX_DAYS_AHEAD = 120
CONTENT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$")


def clean_text(value: str, field: str, limit: int, *, required: bool = True) -> str:
    text = value.strip()
    if required and not text:
        raise invalid(field, f"{field} is required", f"{field}: заавал бөглөнө.", code="required")
    if len(text) > limit:
        raise invalid(field, f"{field} is longer than {limit} characters",
                      f"{field}: {limit}-аас олон тэмдэгт байна.", code="too_long")
    return text


def clean_content_ids(values: Sequence[str]) -> tuple[str, ...]:
    """E-content ids (content service) as given, without duplicates; each checked for shape only."""
    ids = tuple(dict.fromkeys(v.strip() for v in values if v.strip()))
    if len(ids) > MAX_CONTENT_IDS:
        raise invalid("content_ids", f"At most {MAX_CONTENT_IDS} content links", f"Хамгийн ихдээ {MAX_CONTENT_IDS} "
                      "цахим хичээлийн холбоос.", code="too_many")
    for row, content_id in enumerate(ids):
        if not CONTENT_ID.match(content_id):
            raise invalid(f"content_ids[{row}]", f"'{content_id}' is not a content id",
                          f"'{content_id}' цахим агуулгын дугаар биш.", code="bad_content_id")
    return ids


@dataclass(eq=False)
class Homework:
    id: str
    where: events.Where
    subject_code: str
    assigned_on: date
    due_on: date
    text: str
    content_ids: tuple[str, ...]
    assigned_by: str
    assigned_at: datetime
    events: list[events.Event] = field(default_factory=list, repr=False)

    @classmethod
    def assign(cls, *, homework_id: str, where: events.Where, subject_code: str, assigned_on: date, due_on: date,
               text: str, content_ids: Sequence[str], by: str, at: datetime) -> Homework:
        if not assigned_on <= due_on <= assigned_on + timedelta(days=MAX_DAYS_AHEAD):
            raise invalid("due_on", f"The due date must be between {assigned_on} and {MAX_DAYS_AHEAD} days later",
                          f"Хүлээлгэн өгөх өдөр {assigned_on}-с хойш {MAX_DAYS_AHEAD} хоногийн дотор байна.",
                          code="due_date_out_of_range")
        homework = cls(homework_id, where, subject_code, assigned_on, due_on, clean_text(text, "text", MAX_TEXT),
                       clean_content_ids(content_ids), by, at)
        homework.events.append(events.HomeworkAssigned(at, homework.id, where, subject_code, assigned_on, due_on,
                                                       homework.text, homework.content_ids, by))
        return homework


@dataclass
class LessonTopic:
    """What a lesson covered; logging the same class, day and lesson again replaces the topic."""

    id: str
    where: events.Where
    subject_code: str
    day: date
    lesson: int
    topic: str
    notes: str
    logged_by: str
    logged_at: datetime

    @classmethod
    def log(cls, *, entry_id: str, where: events.Where, subject_code: str, day: date, lesson: int, topic: str,
            notes: str, by: str, at: datetime) -> LessonTopic:
        if not 1 <= lesson <= 10:
            raise invalid("lesson", "The lesson number is 1–10", "Хичээлийн цагийн дугаар 1–10 байна.",
                          code="lesson_out_of_range")
        return cls(entry_id, where, subject_code, day, lesson, clean_text(topic, "topic", MAX_TOPIC),
                   clean_text(notes, "notes", MAX_NOTES, required=False), by, at)

    def revise(self, topic: str, notes: str, by: str, at: datetime) -> None:
        self.topic, self.notes = clean_text(topic, "topic", MAX_TOPIC), clean_text(notes, "notes", MAX_NOTES,
                                                                                   required=False)
        self.logged_by, self.logged_at = by, at
