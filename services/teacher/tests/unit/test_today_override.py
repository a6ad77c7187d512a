"""The development date override (ESIS_TODAY, esis_shared.clock) moves the teacher's school day, not the time."""

from __future__ import annotations

from datetime import date

import pytest
from teacher.domain.errors import Refused
from teacher.service_layer import commands
from teacher.service_layer.views import attendance as views

from ..conftest import MONDAY, SATURDAY, SIXTH, TEACHER
from .conftest import Journal

FRIDAY = date(2026, 11, 27)


def _lesson(day: date, form: str) -> commands.MarkAttendance:
    return commands.MarkAttendance(TEACHER, form, "6a", day, tuple((x, "present") for x in SIXTH), 1, "math")


def test_on_a_real_saturday_the_overridden_friday_is_today_and_can_be_marked(journal: Journal, clock,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    clock.set_day(SATURDAY)
    with pytest.raises(Refused) as exc:
        journal.handle(_lesson(SATURDAY, "form-sat"))
    assert exc.value.code == "not_a_school_day"

    monkeypatch.setenv("ESIS_TODAY", FRIDAY.isoformat())
    assert journal.context.today() == FRIDAY
    [six_a] = [c for c in views.today(TEACHER, journal.uow(), journal.context) if c.info.class_id == "6a"]
    assert six_a.closed_reason is None and six_a.learners == len(SIXTH)
    sheet = journal.handle(_lesson(FRIDAY, "form-fri"))
    assert sheet.day == FRIDAY
    assert sheet.marked_at == clock()  # recorded instants stay real


def test_a_day_after_the_overridden_today_is_in_the_future(journal: Journal, clock,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    clock.set_day(MONDAY)
    monkeypatch.setenv("ESIS_TODAY", FRIDAY.isoformat())
    with pytest.raises(Refused) as exc:
        journal.handle(_lesson(MONDAY, "form-mon"))
    assert exc.value.code == "date_in_future"
