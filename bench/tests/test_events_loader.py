"""The bench's event loader publishes what education and hr publish: same messages, topics, keys and headers."""

from __future__ import annotations

import collections
from pathlib import Path

import pytest
from education.adapters import messages as education_messages
from esis.education.v1 import education_events_pb2 as edu
from esis.hr.v1 import hr_events_pb2 as hr
from esis_shared.registry import TopicRegistry

from bench.loaders import events
from bench.synthetic import generate
from bench.synthetic.writer import read_manifest, read_rows


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("country")
    generate(out, scale=0.001, seed=1)
    return out


def test_every_event_is_on_its_registered_topic_with_the_owners_key(data: Path) -> None:
    registry = TopicRegistry.load(events.TOPICS_DIR)
    sent = [*events.education_events(data), *events.hr_events(data, accounts={})]
    for envelope in sent:
        assert registry.allowed(envelope.topic, envelope.type), (envelope.topic, envelope.type)
        message = registry.message_class(envelope.type).FromString(envelope.value)
        if envelope.topic in (events.LEARNERS, events.ENROLMENTS):
            assert envelope.key == message.learner_id
        elif envelope.type == "esis.hr.v1.TeachingAssigned":
            assert envelope.key == message.assignment_id
        elif envelope.topic == events.STAFF:
            assert envelope.key == message.staff_id
        elif envelope.topic == events.ORG:
            assert envelope.key == message.unit_id
    # education's own outbox routes each of its types to the same topic
    routed = {cls.__name__: topic for cls, topic in education_messages.TOPIC_OF.items()}
    for envelope in sent:
        if envelope.source == "education":
            assert routed[envelope.type.rsplit(".", 1)[1]] == envelope.topic
    assert len({e.id for e in sent}) == len(sent), "event ids are unique"


def test_counts_follow_the_dataset_and_carry_the_aimag(data: Path) -> None:
    files = read_manifest(data)["files"]
    by_type = collections.Counter(e.type for e in events.education_events(data))
    assert by_type["esis.education.v1.ClassOpened"] == files["classes"]["rows"]
    assert by_type["esis.education.v1.LearnerEnrolled"] == files["learners"]["rows"]
    assert by_type["esis.education.v1.LearnerRegistered"] == files["learners"]["rows"]
    hr_types = collections.Counter(e.type for e in events.hr_events(data))
    assert hr_types["esis.hr.v1.TeachingAssigned"] == files["assignments"]["rows"]
    assert hr_types["esis.hr.v1.StaffHired"] == files["staff"]["rows"]
    assert hr_types["esis.hr.v1.StaffAccountLinked"] == 0  # only with accounts
    enrolled = next(e for e in events.education_events(data) if e.type.endswith("LearnerEnrolled"))
    learner = next(r for r in read_rows(data, "learners") if r["id"] == enrolled.key)
    message = edu.LearnerEnrolled.FromString(enrolled.value)
    assert (message.class_id, message.school.aimag_code, enrolled.aimag) == (
        learner["class_id"], learner["aimag_code"], learner["aimag_code"])


def test_shifted_years_move_dates_and_label_and_accounts_are_linked(data: Path) -> None:
    year = events.school_year(data)
    moved = events.school_year(data, shift_years=3)
    assert moved.label == f"{int(year.label[:4]) + 3}-{int(year.label[:4]) + 4}"
    assert moved.starts_on.year == year.starts_on.year + 3
    staff = next(read_rows(data, "staff"))
    sent = list(events.hr_events(data, shift_years=3, accounts={staff["id"]: "acc-1"}))
    linked = [hr.StaffAccountLinked.FromString(e.value) for e in sent if e.type.endswith("StaffAccountLinked")]
    assert [(m.staff_id, m.account_id) for m in linked] == [(staff["id"], "acc-1")]
    assigned = hr.TeachingAssigned.FromString(next(e.value for e in sent if e.type.endswith("TeachingAssigned")))
    assert (assigned.school_year, assigned.start_date.year) == (moved.label, moved.starts_on.year)
    again = [e.id for e in events.hr_events(data, shift_years=3, accounts={staff["id"]: "acc-1"})]
    assert again == [e.id for e in sent], "the same dataset gives the same event ids (redelivery is a no-op)"


@pytest.mark.integration
def test_published_events_reach_the_broker_in_key_order(data: Path, kafka_bootstrap: str) -> None:
    from kafka import KafkaConsumer

    sent = [*events.education_events(data, org=False, learners=False)]
    counts = events.publish(kafka_bootstrap, sent, batch=500)
    assert counts == dict(collections.Counter(e.topic for e in sent))
    consumer = KafkaConsumer(events.ENROLMENTS, bootstrap_servers=kafka_bootstrap, auto_offset_reset="earliest",
                             consumer_timeout_ms=5000, group_id=None)
    try:
        got = [record for record in consumer]
    finally:
        consumer.close()
    mine = {e.id for e in sent if e.topic == events.ENROLMENTS}
    received = [r for r in got if dict(r.headers).get("ce_id", b"").decode() in mine]
    assert len(received) == len(mine)
    first = received[0]
    headers = {name: value.decode() for name, value in first.headers}
    assert headers["ce_type"] == "esis.education.v1.LearnerEnrolled" and headers["ce_source"] == "education"
    assert first.key.decode() == edu.LearnerEnrolled.FromString(first.value).learner_id
