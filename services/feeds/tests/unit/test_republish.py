"""Every event with an aimag header reaches feeds.aimag.<code>.v1 unchanged, in order per entity."""

from __future__ import annotations

from typing import Any

from esis.hr.v1 import hr_events_pb2 as hr
from feeds.adapters.orm import feed_entries
from feeds.domain.feed import topic_for
from sqlalchemy import func, select


def test_events_are_republished_with_the_same_bytes_headers_and_key(platform: Any, samples: Any) -> None:
    source = platform.emit("education.enrolments.v1", "lrn-1", samples.enrolled("lrn-1", "K1", "65"), "65")
    platform.run()
    [record] = platform.broker.records(topic_for("65"))
    original = platform.broker.records("education.enrolments.v1")[0]
    assert (record.key, record.value) == (original.key, original.value)
    assert dict(record.headers) == dict(original.headers)
    assert dict(record.headers)["ce_id"] == source.id.encode()


def test_only_the_named_aimag_gets_the_event(platform: Any, samples: Any) -> None:
    platform.emit("education.enrolments.v1", "lrn-1", samples.enrolled("lrn-1", "K1", "65"), "65")
    platform.emit("education.enrolments.v1", "lrn-2", samples.enrolled("lrn-2", "K9", "83"), "83")
    platform.emit("hr.staff.v1", "stf-1", hr.StaffExited(staff_id="stf-1", org_id="K1"), None)  # no aimag header
    platform.emit("education.enrolments.v1", "lrn-3", samples.enrolled("lrn-3", "X", "99"), "99")  # unknown code
    platform.run()
    assert [r.key for r in platform.broker.records(topic_for("65"))] == [b"lrn-1"]
    assert [r.key for r in platform.broker.records(topic_for("83"))] == [b"lrn-2"]
    assert platform.broker.topics.get(topic_for("99")) is None


def test_one_learners_events_keep_their_order(platform: Any, samples: Any) -> None:
    for n in range(5):
        platform.emit("education.enrolments.v1", "lrn-1", samples.enrolled("lrn-1", f"K{n}", "65"), "65")
    platform.emit("education.enrolments.v1", "lrn-1", samples.withdrawn("lrn-1", "K4", "65"), "65")
    platform.run()
    republished = platform.broker.records(topic_for("65"))
    assert len({r.partition for r in republished}) == 1  # one key, one partition
    types = [dict(r.headers)["ce_type"].decode() for r in republished]
    assert types == ["esis.education.v1.LearnerEnrolled"] * 5 + ["esis.education.v1.LearnerWithdrawn"]
    sources = platform.broker.records("education.enrolments.v1")
    assert [dict(r.headers)["ce_id"] for r in republished] == [dict(r.headers)["ce_id"] for r in sources]


def test_a_redelivered_event_is_fed_once(platform: Any, samples: Any, container: Any) -> None:
    platform.emit("education.enrolments.v1", "lrn-1", samples.enrolled("lrn-1", "K1", "65"), "65")
    platform.run()
    for tp in platform.consumer._client.assignment():
        platform.consumer._client.seek(tp, 0)  # the broker delivers everything again
    platform.run()
    assert len(platform.broker.records(topic_for("65"))) == 1
    with container.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(feed_entries)).scalar() == 1
