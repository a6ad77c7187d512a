"""Domain events → protobuf on the registry's topics, and education/hr events → the roster read models."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from esis.common.v1 import common_pb2
from esis.education.v1 import education_events_pb2 as education
from esis.hr.v1 import hr_events_pb2 as hr
from esis.teacher.v1 import teacher_events_pb2 as pb
from esis_shared.consumer import EventProcessor, Outcome
from esis_shared.db import make_session_factory
from esis_shared.kafka import Envelope
from esis_shared.registry import TopicRegistry, default_proto_dir
from sqlalchemy import Engine
from teacher.adapters.messages import TOPICS, to_outgoing
from teacher.adapters.sql_rosters import SqlRosterRepository
from teacher.domain import events
from teacher.entrypoints.consumer import BATCH_HANDLERS, CONSUMER_HANDLERS, HANDLERS, class_label
from teacher.entrypoints.consumer import TOPICS as CONSUMED

from ..conftest import memory_engine

NOW = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
WHERE = events.Where("6a", "school-17", "11")
SAMPLES = [
    events.AttendanceMarked(NOW, "s1", WHERE, date(2026, 11, 30), 1, "math",
                            (events.AttendanceEntry("L1", "sick", "excused_absence"),), "acc-t"),
    events.AttendanceCorrected(NOW, "s1", WHERE, date(2026, 11, 30), 1, "math",
                               (events.AttendanceChange("L1", "sick", "present", "present"),), "typo", "acc-t"),
    events.MarkRecorded(NOW, "a1", "L1", WHERE, "math", "2026-2027", 2, "Сорил", date(2026, 11, 16), Decimal(2),
                        Decimal("87.5"), "acc-t"),
    events.TermGradePublished(NOW, "L1", WHERE, "math", "2026-2027", 2, Decimal("84.25"), "secondary", "B", True,
                              "acc-m"),
    events.AnnualGradeFinalized(NOW, "L1", WHERE, "math", "2026-2027", 0, Decimal("81.4"), "secondary", "B", False,
                                "acc-m"),
    events.HomeworkAssigned(NOW, "h1", WHERE, "math", date(2026, 11, 30), date(2026, 12, 2), "48", ("c-1",), "acc-t"),
    events.GrowthMeasured(NOW, "g1", "K1", WHERE, date(2026, 10, 1), Decimal("108.4"), Decimal("17.9")),
    events.DevelopmentObserved(NOW, "o1", "K1", WHERE, date(2026, 10, 1), "language", "developing", "ярьдаг"),
    events.FeedbackReceived(NOW, "f1", "pay", "11", "", False),
    events.FeedbackStatusChanged(NOW, "f1", "pay", "11", "", "forwarded", "aimag", "11"),
    events.FeedbackAnswered(NOW, "f1", "pay", "11", "", "aimag"),
]
KEYS = {"teacher.attendance.v1": "6a", "teacher.homework.v1": "6a", "teacher.grades.v1": None,
        "teacher.kindergarten.v1": None, "teacher.feedback.v1": "f1"}


@pytest.fixture(scope="module")
def registry() -> TopicRegistry:
    return TopicRegistry.load(default_proto_dir() / "topics")


@pytest.mark.parametrize("event", SAMPLES, ids=lambda e: type(e).__name__)
def test_every_event_goes_to_a_registered_topic_that_allows_its_message(event: events.Event,
                                                                       registry: TopicRegistry) -> None:
    out = to_outgoing(event)
    spec = registry.get(out.topic)
    assert out.topic in TOPICS and out.message.DESCRIPTOR.full_name in spec.messages
    assert out.key == (KEYS[out.topic] or event.learner_id)  # type: ignore[attr-defined]
    assert out.aimag == "11"
    assert out.message.occurred_at.ToDatetime(tzinfo=UTC) == NOW


def test_a_grade_message_carries_the_percent_and_band() -> None:
    message = to_outgoing(SAMPLES[3]).message
    assert (message.percent, message.grade, message.overridden, message.school.aimag_code) == (84.25, "B", True, "11")


def test_feedback_messages_name_neither_sender_nor_text() -> None:
    fields = {f.name for f in pb.FeedbackReceived.DESCRIPTOR.fields}
    assert not fields & {"sender_id", "sender_account_id", "text"}
    assert to_outgoing(SAMPLES[9]).message.forwarded_to == pb.FEEDBACK_HANDLER_AIMAG


def test_the_consumer_reads_the_topics_listing_teacher_as_consumer(registry: TopicRegistry) -> None:
    listed = {name for topic in CONSUMED for name in registry.get(topic).messages}
    assert all("teacher" in registry.get(topic).consumers for topic in CONSUMED)
    assert set(HANDLERS) <= listed


# ---------------------------------------------------------------- consumer handlers on SQL

def d(day: date) -> common_pb2.Date:
    return common_pb2.Date(year=day.year, month=day.month, day=day.day)


class Record:
    def __init__(self, message: object, event_id: str, topic: str) -> None:
        self.topic, self.partition, self.offset, self.key = topic, 0, 0, b"k"
        self.value = message.SerializeToString()  # type: ignore[attr-defined]
        self.headers = Envelope.for_message(message, source="test", topic=topic, key="k",  # type: ignore[arg-type]
                                            aimag="65").headers()
        self.headers = [(n, v if n != "ce_id" else event_id.encode()) for n, v in self.headers]


@pytest.fixture
def engine() -> Iterator[Engine]:
    built = memory_engine()
    yield built
    built.dispose()


def make_processor(engine: Engine, batched: bool) -> EventProcessor:
    from esis_shared.consumer import default_resolver

    handlers, batch = (CONSUMER_HANDLERS, BATCH_HANDLERS) if batched else (HANDLERS, None)
    return EventProcessor(group_id="teacher", session_factory=make_session_factory(engine), handlers=handlers,
                          batch_handlers=batch, resolve=default_resolver,
                          dead_letter=lambda record, error: pytest.fail(str(error)))


@pytest.fixture(params=[False, True], ids=["per-event", "batch-handlers"])
def processor(engine: Engine, request: pytest.FixtureRequest) -> EventProcessor:
    return make_processor(engine, request.param)


def roster(engine: Engine, class_id: str):  # type: ignore[no-untyped-def]
    with make_session_factory(engine)() as session:
        return SqlRosterRepository(session).roster(class_id)


def test_education_and_hr_events_build_the_roster(engine: Engine, processor: EventProcessor) -> None:
    school = common_pb2.OrgRef(org_id="school-9", aimag_code="")
    processor.process(Record(education.ClassOpened(class_id="c5", school=school, year_id="2026-2027", level="5",
                                                   letter="Б"), "e1", "education.classes.v1"))
    processor.process(Record(education.LearnerEnrolled(learner_id="x1", school=school, class_id="c5",
                                                       on=d(date(2026, 9, 1))), "e2", "education.enrolments.v1"))
    processor.process(Record(hr.TeachingAssigned(assignment_id="as", staff_id="st", class_id="c5", org_id="school-9",
                                                 subject_code="primary", school_year="2026-2027",
                                                 start_date=d(date(2026, 9, 1))), "e3", "hr.assignments.v1"))
    found = roster(engine, "c5")
    assert (found.info.label, found.info.aimag) == ("5Б", "65")  # the aimag header when the OrgRef has none
    assert found.learners_on(date(2026, 11, 30)) == ["x1"] and found.subjects_on(date(2026, 11, 30)) == ["primary"]


def test_a_redelivered_enrolment_changes_nothing(engine: Engine, processor: EventProcessor) -> None:
    message = education.LearnerEnrolled(learner_id="x1", class_id="c5", on=d(date(2026, 9, 1)))
    assert processor.process(Record(message, "same", "education.enrolments.v1")) is Outcome.PROCESSED
    assert processor.process(Record(message, "same", "education.enrolments.v1")) is Outcome.DUPLICATE
    with make_session_factory(engine)() as session:
        assert len(SqlRosterRepository(session).enrolments_of_learner("x1")) == 1


def test_a_class_move_and_a_withdrawal_end_enrolments(engine: Engine, processor: EventProcessor) -> None:
    topic = "education.enrolments.v1"
    processor.process(Record(education.LearnerEnrolled(learner_id="x1", class_id="c5", on=d(date(2026, 9, 1))),
                             "e1", topic))
    processor.process(Record(education.LearnerMovedClass(learner_id="x1", from_class_id="c5", to_class_id="c6",
                                                         on=d(date(2026, 10, 1))), "e2", topic))
    processor.process(Record(education.LearnerWithdrawn(learner_id="x1", class_id="c6", on=d(date(2026, 11, 2))),
                             "e3", topic))
    with make_session_factory(engine)() as session:
        spans = [(e.class_id, e.starts_on, e.ends_on) for e in SqlRosterRepository(session).enrolments_of_learner("x1")]
    assert spans == [("c5", date(2026, 9, 1), date(2026, 9, 30)), ("c6", date(2026, 10, 1), date(2026, 11, 1))]


def test_an_unassignment_ends_the_teaching(engine: Engine, processor: EventProcessor) -> None:
    processor.process(Record(hr.TeachingAssigned(assignment_id="as", class_id="c5", subject_code="art",
                                                 start_date=d(date(2026, 9, 1))), "e1", "hr.assignments.v1"))
    processor.process(Record(hr.TeachingUnassigned(assignment_id="as", class_id="c5", subject_code="art",
                                                   last_day=d(date(2026, 10, 31))), "e2", "hr.assignments.v1"))
    with make_session_factory(engine)() as session:
        assert SqlRosterRepository(session).assignment("as").last_day == date(2026, 10, 31)


def _mixed_events() -> list[Record]:
    """A start of year in one poll: classes, enrolments (one learner moved twice, one enrolled late), teachers."""
    school = common_pb2.OrgRef(org_id="school-9", aimag_code="65")
    enrol, topic = education.LearnerEnrolled, "education.enrolments.v1"
    items = [(education.ClassOpened(class_id="c5", school=school, year_id="2026-2027", level="5", letter="А"),
              "education.classes.v1"),
             (education.ClassChanged(class_id="c5", school=school, room="12", class_teacher_id="t1"),
              "education.classes.v1"),  # the portal keeps nothing of it; it must not cut the run of classes
             (education.ClassOpened(class_id="c6", school=common_pb2.OrgRef(org_id="school-9"),
                                    year_id="2026-2027", level="6", letter="Б"), "education.classes.v1"),
             (education.ClassOpened(class_id="c5", school=school, year_id="2026-2027", level="5", letter="В"),
              "education.classes.v1"),
             (enrol(learner_id="x1", class_id="c5", on=d(date(2026, 9, 1))), topic),
             (enrol(learner_id="x2", class_id="c5", on=d(date(2026, 9, 1))), topic),
             (enrol(learner_id="x1", class_id="c6", on=d(date(2026, 10, 1))), topic),
             (enrol(learner_id="x1", class_id="c6", on=d(date(2026, 10, 1))), topic),  # a second, other event
             (enrol(learner_id="x1", class_id="c5", on=d(date(2026, 11, 2))), topic),
             (education.LearnerWithdrawn(learner_id="x2", class_id="c5", on=d(date(2026, 11, 2))), topic),
             (enrol(learner_id="x3", class_id="c7", on=d(date(2026, 9, 1))), topic),  # its class comes later
             (hr.TeachingAssigned(assignment_id="a1", staff_id="t1", class_id="c5", org_id="school-9",
                                  subject_code="math", school_year="2026-2027", start_date=d(date(2026, 9, 1))),
              "hr.assignments.v1"),
             (hr.TeachingAssigned(assignment_id="a1", staff_id="t2", class_id="c5", org_id="school-9",
                                  subject_code="math", school_year="2026-2027", start_date=d(date(2026, 9, 1)),
                                  last_day=d(date(2026, 12, 31))), "hr.assignments.v1"),
             (hr.TeachingAssigned(assignment_id="a2", staff_id="t1", class_id="c6", org_id="school-9",
                                  subject_code="art", school_year="2026-2027", start_date=d(date(2026, 9, 1))),
              "hr.assignments.v1")]
    return [Record(message, f"m{n}", topic) for n, (message, topic) in enumerate(items)]


def _state(engine: Engine) -> tuple[object, ...]:
    with make_session_factory(engine)() as session:
        repo = SqlRosterRepository(session)
        found = repo.rosters(["c5", "c6", "c7"])
        spans = {learner: [(e.class_id, e.starts_on, e.ends_on) for e in repo.enrolments_of_learner(learner)]
                 for learner in ("x1", "x2", "x3")}
        return ([(r.info, sorted(r.assignments, key=lambda a: a.assignment_id)) for r in found], spans)


def test_batch_handlers_leave_the_state_handling_one_by_one_leaves() -> None:
    states = []
    for batched, in_one_batch in ((False, False), (True, True)):
        engine = memory_engine()
        try:
            processor, records = make_processor(engine, batched), _mixed_events()
            if in_one_batch:
                result = processor.process_batch(records + records[4:7])  # with a redelivery inside the batch
                assert result.error is None and result.outcomes.count(Outcome.DUPLICATE) == 3
            else:
                for record in records:
                    processor.process(record)
            states.append(_state(engine))
        finally:
            engine.dispose()
    assert states[0] == states[1]
    infos, spans = states[1]
    assert [(info.label, info.aimag) for info, _ in infos] == [("5В", "65"), ("6Б", "65")]
    assert [a.staff_id for a in infos[0][1]] == ["t2"]
    assert spans["x1"] == [("c5", date(2026, 9, 1), date(2026, 9, 30)), ("c6", date(2026, 10, 1), date(2026, 11, 1)),
                           ("c5", date(2026, 11, 2), None)]
    assert spans["x2"] == [("c5", date(2026, 9, 1), date(2026, 11, 1))] and spans["x3"][0][0] == "c7"


def test_one_class_roster_is_read_in_one_statement_with_the_same_content(engine: Engine,
                                                                         processor: EventProcessor) -> None:
    for record in _mixed_events():
        processor.process(record)
    with make_session_factory(engine)() as session:
        repo = SqlRosterRepository(session)
        for class_id in ("c5", "c6"):
            one, many = repo.roster(class_id), repo.rosters([class_id])[0]
            assert one is not None and one.info == many.info
            assert sorted(one.enrolments, key=repr) == sorted(many.enrolments, key=repr) != []
            assert sorted(one.assignments, key=repr) == sorted(many.assignments, key=repr) != []
        assert repo.roster("c7") is None  # enrolments of a class not opened yet make no roster


@pytest.mark.parametrize("level, letter, label", [("6", "А", "6А"), ("beltgel", "Б", "Бэлтгэл Б"),
                                                  ("baga", "", "Бага")])
def test_class_labels_read_like_the_school_names_them(level: str, letter: str, label: str) -> None:
    assert class_label(level, letter) == label
