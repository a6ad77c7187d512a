from datetime import date

import pytest
from education.adapters.messages import to_message
from education.domain.calendar import Holiday, Term, default_school_year
from education.domain.errors import Conflict, Forbidden, Invalid
from education.domain.events import ClassOpened, TimetablePublished
from education.domain.timetable import Lesson, TimetableConflicts
from education.service_layer import commands, views


def test_default_school_year_runs_1_september_to_15_june_with_four_terms():
    year = default_school_year(2024)
    assert (year.starts_on, year.ends_on) == (date(2024, 9, 1), date(2025, 6, 15))
    assert [t.number for t in year.terms] == [1, 2, 3, 4]


def test_holidays_and_weekends_are_not_school_days():
    year = default_school_year(2024)
    assert year.is_school_day(date(2024, 10, 1))
    assert not year.is_school_day(date(2024, 11, 5))   # autumn break
    assert not year.is_school_day(date(2025, 1, 6))    # winter break
    assert not year.is_school_day(date(2024, 10, 5))   # Saturday
    assert year.term_on(date(2025, 4, 1)).number == 4


def test_school_year_needs_four_terms(world):
    terms = (Term(1, date(2025, 9, 1), date(2025, 12, 31)), Term(2, date(2026, 1, 10), date(2026, 6, 15)))
    with pytest.raises(Invalid) as info:
        world.do(commands.DefineSchoolYear(2025, terms=terms))
    assert info.value.field == "terms" and info.value.code == "year_term_count"


def test_overlapping_terms_name_the_term(world):
    terms = (Term(1, date(2025, 9, 1), date(2025, 11, 1)), Term(2, date(2025, 10, 20), date(2025, 12, 20)),
             Term(3, date(2026, 1, 10), date(2026, 3, 20)), Term(4, date(2026, 3, 30), date(2026, 6, 15)))
    with pytest.raises(Invalid) as info:
        world.do(commands.DefineSchoolYear(2025, terms=terms))
    assert info.value.field == "terms[1].starts_on"


def test_revising_a_year_changes_its_holidays(world):
    holidays = (Holiday("Цагаан сар", date(2025, 2, 28), date(2025, 3, 3), "Lunar New Year"),)
    world.do(commands.DefineSchoolYear(2024, holidays=holidays))
    year = world.store.tables["school_years"]["2024-2025"]
    assert [h.name_en for h in year.holidays] == ["Lunar New Year"]


def test_open_class_publishes_class_opened(world):
    class_id = world.open_class(world.school_a, level="5", letter="б", shift=2)
    opened = world.events(ClassOpened)[0]
    assert (opened.class_id, opened.level, opened.letter, opened.shift) == (class_id, "5", "Б", 2)
    assert world.store.tables["classes"][class_id].name == "5Б"


def test_kindergarten_group_by_mongolian_name(world):
    class_id = world.open_class(world.kindergarten, level="бэлтгэл", letter="Б", capacity=25)
    assert world.store.tables["classes"][class_id].name == "бэлтгэл Б"


@pytest.mark.parametrize(("field", "kwargs"), [("shift", {"shift": 4}), ("letter", {"letter": "B"}),
                                               ("capacity", {"capacity": 0}), ("level", {"level": "13"})])
def test_class_fields_are_validated_by_name(world, field, kwargs):
    with pytest.raises(Invalid) as info:
        world.open_class(world.school_a, **kwargs)
    assert info.value.field == field


def test_same_class_twice_in_a_year_is_refused(world):
    world.open_class(world.school_a, letter="А")
    with pytest.raises(Conflict) as info:
        world.open_class(world.school_a, letter="А")
    assert info.value.code == "class_exists"


def test_admin_of_another_school_cannot_open_classes(world):
    with pytest.raises(Forbidden):
        world.do(commands.OpenClass(world.school_a, "2024-2025", "1", "А", 1, 30), world.admin(world.school_b))


def test_capacity_cannot_drop_below_enrolled(world):
    class_id = world.open_class(world.school_a, capacity=3)
    world.enrolled(world.school_a, class_id)
    world.enrolled(world.school_a, class_id)
    with pytest.raises(Invalid) as info:
        world.do(commands.ChangeClass(class_id, "101", 1), world.admin(world.school_a))
    assert info.value.code == "class_capacity_below_enrolled"


# ---------------------------------------------------------------- timetable

def _save(world, class_id, *lessons, school=None):
    world.do(commands.SaveTimetable(class_id, tuple(lessons)), world.admin(school or world.school_a))


def test_teacher_in_two_classes_at_once_is_a_conflict(world):
    a, b = world.open_class(world.school_a, letter="А"), world.open_class(world.school_a, letter="Б", room="102")
    math = world.subjects["MATH"]
    _save(world, a, Lesson(1, 1, math, "t-1", "101"))
    with pytest.raises(TimetableConflicts) as info:
        _save(world, b, Lesson(1, 1, math, "t-1", "102"))
    [conflict] = info.value.conflicts
    assert conflict.code == "teacher_double_booked" and "1А" in conflict.message_mn
    assert "Даваа" in conflict.message_mn and "Monday period 1" in conflict.message_en


def test_same_teacher_same_period_in_another_shift_is_fine(world):
    a = world.open_class(world.school_a, letter="А", shift=1)
    b = world.open_class(world.school_a, letter="Б", shift=2)
    math = world.subjects["MATH"]
    _save(world, a, Lesson(1, 1, math, "t-1", "101"))
    _save(world, b, Lesson(1, 1, math, "t-1", "101"))
    assert len(world.store.tables["timetables"]) == 2


def test_room_used_by_two_classes_at_once_is_a_conflict(world):
    a, b = world.open_class(world.school_a, letter="А"), world.open_class(world.school_a, letter="Б")
    _save(world, a, Lesson(2, 3, world.subjects["MATH"], "t-1", "101"))
    with pytest.raises(TimetableConflicts) as info:
        _save(world, b, Lesson(2, 3, world.subjects["MONG"], "t-2", "101"))
    assert [c.code for c in info.value.conflicts] == ["room_double_booked"]


def test_subject_over_weekly_hours_is_a_conflict(world):
    class_id = world.open_class(world.school_a)
    art = world.subjects["ART"]  # 1 hour a week in grade 1
    with pytest.raises(TimetableConflicts) as info:
        _save(world, class_id, Lesson(1, 1, art, "t-1"), Lesson(2, 1, art, "t-1"))
    [conflict] = info.value.conflicts
    assert conflict.code == "subject_over_hours" and conflict.details["allowed"] == 1


def test_subject_not_in_the_grades_curriculum_is_over_hours(world):
    class_id = world.open_class(world.school_a, level="3")
    with pytest.raises(TimetableConflicts) as info:
        _save(world, class_id, Lesson(1, 1, world.subjects["MATH"], "t-1"))
    assert info.value.conflicts[0].details["allowed"] == 0


def test_every_conflict_is_reported_at_once_and_nothing_is_saved(world):
    a, b = world.open_class(world.school_a, letter="А"), world.open_class(world.school_a, letter="Б")
    math = world.subjects["MATH"]
    _save(world, a, Lesson(1, 1, math, "t-1", "101"))
    with pytest.raises(TimetableConflicts) as info:
        _save(world, b, Lesson(1, 1, math, "t-1", "101"), Lesson(1, 1, math, "t-2", "102"))
    codes = sorted(c.code for c in info.value.conflicts)
    assert codes == ["class_slot_taken", "room_double_booked", "teacher_double_booked"]
    assert b not in world.store.tables["timetables"]


def test_lesson_day_out_of_range_names_the_row(world):
    class_id = world.open_class(world.school_a)
    with pytest.raises(Invalid) as info:
        _save(world, class_id, Lesson(1, 1, world.subjects["MATH"], "t-1"), Lesson(7, 1, world.subjects["MATH"], "t"))
    assert info.value.field == "lessons[1].day"


def test_a_room_longer_than_40_characters_names_the_row_and_saves_nothing(world):
    class_id = world.open_class(world.school_a)
    math = world.subjects["MATH"]
    _save(world, class_id, Lesson(1, 1, math, "t-1", "Р" * 40))
    with pytest.raises(Invalid) as info:
        _save(world, class_id, Lesson(1, 1, math, "t-1", "101"), Lesson(2, 1, math, "t-1", "Р" * 41))
    assert (info.value.field, info.value.code) == ("lessons[1].room", "lesson_room_too_long")
    assert "40" in info.value.message_mn
    assert [x.room for x in views.timetable(world.ctx(world.admin(world.school_a)), class_id).lessons] == ["Р" * 40]


def test_publishing_a_timetable_publishes_an_event_and_teacher_can_read_it(world):
    class_id = world.open_class(world.school_a)
    _save(world, class_id, Lesson(1, 1, world.subjects["MATH"], "t-1"))
    world.do(commands.PublishTimetable(class_id), world.admin(world.school_a))
    [published] = world.events(TimetablePublished)
    assert published.lessons == 1
    assert [(x.day, x.period, x.subject_code, x.teacher_id) for x in published.weekly_lessons] == [
        (1, 1, "MATH", "t-1")]
    assert views.timetable(world.ctx(world.teacher(class_id)), class_id).published
    with pytest.raises(Forbidden):
        views.timetable(world.ctx(world.teacher("other")), class_id)


def test_published_timetable_message_carries_every_lesson_in_slot_order(world):
    class_id = world.open_class(world.school_a)
    math = world.subjects["MATH"]
    _save(world, class_id, Lesson(2, 1, math, "t-2", "102"), Lesson(1, 2, math, "t-1"))
    world.do(commands.PublishTimetable(class_id), world.admin(world.school_a))
    message = to_message(world.events(TimetablePublished)[0], lambda org_id: "65")
    assert message.lessons == 2 and message.school.aimag_code == "65"
    assert [(x.day, x.period, x.subject_id, x.subject_code, x.teacher_id, x.room) for x in message.weekly_lessons] == [
        (1, 2, math, "MATH", "t-1", ""), (2, 1, math, "MATH", "t-2", "102")]


def _outside(world, class_id):
    """What other services see (the gRPC GetTimetable reads this view)."""
    _, found = views.published_timetable(world.ctx(world.teacher(class_id)), class_id)
    return [(x.day, x.period, x.subject_code, x.teacher_id) for x in found.published_lessons()]


def test_while_a_new_version_is_a_draft_others_see_the_last_published_week_and_the_editor_the_draft(world):
    class_id = world.open_class(world.school_a)
    math, mong = world.subjects["MATH"], world.subjects["MONG"]
    _save(world, class_id, Lesson(1, 1, math, "t-1"))
    world.do(commands.PublishTimetable(class_id), world.admin(world.school_a))
    _save(world, class_id, Lesson(1, 2, mong, "t-2"), Lesson(3, 1, math, "t-1"))

    editor = views.timetable(world.ctx(world.admin(world.school_a)), class_id)
    assert [(x.day, x.period, x.teacher_id) for x in editor.lessons] == [(1, 2, "t-2"), (3, 1, "t-1")]
    assert not editor.published and editor.draft_pending
    assert _outside(world, class_id) == [(1, 1, "MATH", "t-1")]
    assert len(world.events(TimetablePublished)) == 1


def test_publishing_the_draft_replaces_the_week_others_see(world):
    class_id = world.open_class(world.school_a)
    math, mong = world.subjects["MATH"], world.subjects["MONG"]
    _save(world, class_id, Lesson(1, 1, math, "t-1"))
    world.do(commands.PublishTimetable(class_id), world.admin(world.school_a))
    _save(world, class_id, Lesson(2, 1, mong, "t-2"))
    world.do(commands.PublishTimetable(class_id), world.admin(world.school_a))

    assert _outside(world, class_id) == [(2, 1, "MONG", "t-2")]
    assert not views.timetable(world.ctx(world.admin(world.school_a)), class_id).draft_pending
    assert [e.weekly_lessons[0].subject_code for e in world.events(TimetablePublished)] == ["MATH", "MONG"]


def test_a_draft_never_published_is_not_shown_outside_the_school(world):
    class_id = world.open_class(world.school_a)
    _save(world, class_id, Lesson(1, 1, world.subjects["MATH"], "t-1"))
    assert _outside(world, class_id) == []
    assert not views.timetable(world.ctx(world.admin(world.school_a)), class_id).draft_pending


def test_a_refused_draft_leaves_the_published_week_as_it_was(world):
    a, b = world.open_class(world.school_a, letter="А"), world.open_class(world.school_a, letter="Б", room="102")
    math = world.subjects["MATH"]
    _save(world, a, Lesson(1, 1, math, "t-1", "101"))
    world.do(commands.PublishTimetable(a), world.admin(world.school_a))
    _save(world, b, Lesson(1, 2, math, "t-2", "102"))
    world.do(commands.PublishTimetable(b), world.admin(world.school_a))
    with pytest.raises(TimetableConflicts):
        _save(world, b, Lesson(1, 1, math, "t-1", "102"))  # t-1 teaches А then
    assert _outside(world, b) == [(1, 2, "MATH", "t-2")]
    assert views.timetable(world.ctx(world.admin(world.school_a)), b).published
