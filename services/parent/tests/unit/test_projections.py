"""Read models from events, and the notifications they trigger for the child's guardians."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from decimal import Decimal

from esis_shared.auth import Principal
from parent.domain import events
from parent.domain.notifications import TypeSetting
from parent.domain.school import AttendanceEntry, ClassInfo, Grade, Homework, Lesson, Mark
from parent.service_layer import views
from parent.service_layer.handlers import projections as p
from parent.service_layer.handlers.claims import ClaimChild, claim_child
from parent.service_layer.handlers.settings import UpdatePreferences, UpdateProfile, update_preferences, update_profile

from .conftest import MOTHER, STRANGER, claim
from .fakes import RecordedGuardian

TODAY = date(2026, 11, 30)
FATHER = Principal("acc-father", "parent")


def apply(deps, step) -> None:
    with deps.uow() as uow:
        step(uow)
        uow.commit()


def absent(day: date = TODAY, code: str = "unexcused", category: str = "unexcused_absence") -> AttendanceEntry:
    return AttendanceEntry("lrn-bat", day, 0, code, category)


def test_an_absence_today_asks_notify_once_per_linked_guardian(linked, state) -> None:
    update_profile(UpdateProfile("Оюун", "99112233", "oyun@example.mn"), MOTHER, linked)

    apply(linked, lambda uow: p.attendance_marked(uow, [absent()], linked))

    [request] = state.notifications
    assert request.key == "absence:lrn-bat:2026-11-30:acc-mother"
    assert request.event_type == "absence" and request.account_id == "acc-mother"
    assert request.text == "Д.Бат: өнөөдөр ирээгүй гэж бүртгэгдлээ (unexcused)."
    assert request.channels == (("sms", "99112233"), ("email", "oyun@example.mn"))


def test_the_same_absence_again_produces_the_same_key(linked, state) -> None:
    update_profile(UpdateProfile("Оюун", "99112233", ""), MOTHER, linked)
    apply(linked, lambda uow: p.attendance_marked(uow, [absent()], linked))
    apply(linked, lambda uow: p.attendance_marked(uow, [absent(code="sick", category="excused_absence")], linked))

    assert {r.key for r in state.notifications} == {"absence:lrn-bat:2026-11-30:acc-mother"}


def test_late_and_present_and_other_days(linked, state) -> None:
    update_profile(UpdateProfile("Оюун", "99112233", ""), MOTHER, linked)
    apply(linked, lambda uow: p.attendance_marked(uow, [
        AttendanceEntry("lrn-bat", TODAY, 1, "late", "present"),
        AttendanceEntry("lrn-sarnai", TODAY, 0, "present", "present"),
        absent(day=date(2026, 11, 27))], linked))

    assert [(r.event_type, r.learner_id) for r in state.notifications] == [("late", "lrn-bat")]
    assert views.day(MOTHER, "lrn-bat", linked).status == "late"


def test_a_guardian_without_any_address_gets_no_request(linked, state) -> None:
    update_profile(UpdateProfile("Оюун", "", ""), MOTHER, linked)
    apply(linked, lambda uow: p.attendance_marked(uow, [absent()], linked))

    assert state.notifications == []
    assert views.day(MOTHER, "lrn-bat", linked).status == "unexcused"


def test_a_guardian_who_switched_absences_off_gets_none(linked, state) -> None:
    update_profile(UpdateProfile("Оюун", "99112233", ""), MOTHER, linked)
    update_preferences(UpdatePreferences(["sms"], time(21, 0), time(8, 0),
                                         types={"absence": TypeSetting(enabled=False)}), MOTHER, linked)

    apply(linked, lambda uow: p.attendance_marked(uow, [absent()], linked))

    assert state.notifications == []


def test_quiet_hours_and_digest_travel_with_the_request(linked, state) -> None:
    update_profile(UpdateProfile("Оюун", "99112233", "", "en"), MOTHER, linked)
    update_preferences(UpdatePreferences(["email", "sms"], time(21, 0), time(8, 0), time(18, 30)), MOTHER, linked)
    mark = Mark("asm-1", "lrn-bat", "math", "2026-2027", 1, "Шалгалт", TODAY, Decimal("87.5"))

    apply(linked, lambda uow: p.mark_recorded(uow, mark))
    apply(linked, lambda uow: p.mark_recorded(uow, mark))

    [request] = state.notifications
    assert request.text == "Д.Бат: new mark in math: 87.5%."
    assert (request.quiet_hours, request.digest, request.digest_at) == (("21:00", "08:00"), True, "18:30")
    assert request.channels == (("sms", "99112233"),)


def test_term_grades_notify_and_annual_grades_do_not(linked, state) -> None:
    update_profile(UpdateProfile("Оюун", "99112233", ""), MOTHER, linked)
    term = Grade("lrn-bat", "math", "2026-2027", 1, Decimal(91), "percent", "A")
    annual = Grade("lrn-bat", "math", "2025-2026", 0, Decimal(88), "percent", "B")

    apply(linked, lambda uow: (p.grade_published(uow, term), p.grade_published(uow, annual)))

    assert [r.key for r in state.notifications] == ["grade:lrn-bat:math:2026-2027:1:acc-mother"]
    years = views.school_years(MOTHER, "lrn-bat", linked)
    assert [y.school_year for y in years] == ["2026-2027", "2025-2026"]
    assert years[1].grades["math"][0].band == "B"


def test_homework_is_reminded_the_evening_before_it_is_due(linked, state) -> None:
    update_profile(UpdateProfile("Оюун", "99112233", ""), MOTHER, linked)
    due_wednesday = Homework("hw-1", "cls-5b", "math", TODAY, date(2026, 12, 2), "Бодлого 1-5")
    due_today = Homework("hw-2", "cls-5b", "mongol", TODAY, TODAY, "Эссэ")

    apply(linked, lambda uow: (p.homework_assigned(uow, due_wednesday, linked),
                               p.homework_assigned(uow, due_today, linked)))

    [request] = [r for r in state.notifications if r.account_id == "acc-mother"]
    assert request.not_before == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)  # 17:00 in Ulaanbaatar
    assert {r.learner_id for r in state.notifications} == {"lrn-bat", "lrn-other"}  # each classmate's guardian
    assert [h.homework_id for h in views.homework(MOTHER, "lrn-bat", linked)] == ["hw-2", "hw-1"]


def test_homework_of_another_class_reaches_nobody_here(linked, state) -> None:
    update_profile(UpdateProfile("Оюун", "99112233", ""), MOTHER, linked)
    apply(linked, lambda uow: p.homework_assigned(
        uow, Homework("hw-9", "cls-9a", "math", TODAY, date(2026, 12, 3), "x"), linked))

    assert state.notifications == []


def test_a_move_to_another_class_follows_the_child(linked) -> None:
    apply(linked, lambda uow: p.learner_placed(uow, "lrn-bat", school_id="sch-1", class_id="cls-5a", level="5"))
    apply(linked, lambda uow: p.class_opened(uow, ClassInfo("cls-5a", "sch-1", "2026-2027", "5", "А")))

    assert views.child(MOTHER, "lrn-bat", linked).class_info.name == "5А"


def test_a_published_timetable_from_the_event_is_shown_by_weekday_without_asking_education(linked) -> None:
    apply(linked, lambda uow: p.timetable_published(
        uow, "cls-5b", [Lesson(2, 1, "math"), Lesson(1, 2, "music", "204"), Lesson(1, 1, "mongol")]))

    week = views.timetable(MOTHER, "lrn-bat", linked)
    assert [(x.period, x.subject_code, x.room) for x in week[1]] == [(1, "mongol", ""), (2, "music", "204")]
    assert [x.subject_code for x in week[2]] == ["math"]
    assert linked.timetable.asked == []


def test_a_republished_timetable_replaces_the_whole_week(linked) -> None:
    apply(linked, lambda uow: p.timetable_published(uow, "cls-5b", [Lesson(1, 1, "mongol"), Lesson(1, 2, "music")]))
    apply(linked, lambda uow: p.timetable_published(uow, "cls-5b", [Lesson(3, 4, "math")]))

    assert {day: [x.subject_code for x in lessons]
            for day, lessons in views.timetable(MOTHER, "lrn-bat", linked).items()} == {3: ["math"]}


def test_a_timetable_published_before_the_portal_kept_them_is_read_from_education_once(linked) -> None:
    linked.timetable.by_class["cls-5b"] = [Lesson(1, 1, "mongol"), Lesson(2, 3, "math")]

    first = views.timetable(MOTHER, "lrn-bat", linked)
    again = views.timetable(MOTHER, "lrn-bat", linked)

    assert first == again == {1: [Lesson(1, 1, "mongol")], 2: [Lesson(2, 3, "math")]}
    assert linked.timetable.asked == ["cls-5b"]


def test_an_event_without_lessons_drops_the_copy_so_education_is_asked(linked) -> None:
    apply(linked, lambda uow: p.timetable_published(uow, "cls-5b", [Lesson(1, 1, "mongol")]))
    linked.timetable.by_class["cls-5b"] = [Lesson(4, 2, "art")]

    apply(linked, lambda uow: p.timetable_published(uow, "cls-5b", None))

    assert views.timetable(MOTHER, "lrn-bat", linked) == {4: [Lesson(4, 2, "art")]}


def test_education_down_shows_no_timetable_and_keeps_nothing(linked) -> None:
    linked.timetable.by_class["cls-5b"] = [Lesson(1, 1, "mongol")]
    linked.timetable.down = True

    assert views.timetable(MOTHER, "lrn-bat", linked) == {}
    linked.timetable.down = False
    assert views.timetable(MOTHER, "lrn-bat", linked) == {1: [Lesson(1, 1, "mongol")]}


def test_a_school_revoking_the_link_removes_the_child_and_tells_identity(linked, state) -> None:
    apply(linked, lambda uow: p.guardian_link_revoked(uow, "lrn-bat", "grd-1", linked))

    assert [c.child.learner_id for c in views.children(MOTHER, linked)] == ["lrn-sarnai"]
    assert state.events[-1] == events.ChildUnlinked("acc-mother", "lrn-bat", "revoked_by_school", linked.clock())
    assert [c.child.learner_id for c in views.children(STRANGER, linked)] == ["lrn-other"]


def test_both_parents_are_told_each_under_their_own_key(linked, state, education) -> None:
    education.learners["УБ14230211"][2].append(RecordedGuardian("grd-2", "Ганаа", "95554433", "father"))
    claim_child(ClaimChild(FATHER.subject, claim(name="Ганаа", phone="95554433")), linked)
    for who, phone in ((MOTHER, "99112233"), (FATHER, "95554433")):
        update_profile(UpdateProfile("", phone, ""), who, linked)

    apply(linked, lambda uow: p.attendance_marked(uow, [absent()], linked))

    assert sorted(r.key for r in state.notifications) == ["absence:lrn-bat:2026-11-30:acc-father",
                                                          "absence:lrn-bat:2026-11-30:acc-mother"]


def test_nothing_is_staged_when_the_handler_fails_half_way(linked, state) -> None:
    update_profile(UpdateProfile("Оюун", "99112233", ""), MOTHER, linked)
    try:
        with linked.uow() as uow:
            p.attendance_marked(uow, [absent()], linked)
            raise RuntimeError("the consumer's transaction fails")
    except RuntimeError:
        pass

    assert state.notifications == []
    assert views.day(MOTHER, "lrn-bat", linked).status is None
