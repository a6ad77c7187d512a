"""CloudEvents binary-mode headers survive a round trip through a Kafka record."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from esis_shared.kafka import Envelope, InvalidEnvelope, publish, rfc3339
from esis_shared.testing.fake_kafka import FakeBroker, FakeRecord
from google.protobuf.wrappers_pb2 import StringValue

MOMENT = datetime(2024, 9, 1, 8, 30, 15, 123456, tzinfo=UTC)


def make_envelope(**changes) -> Envelope:
    fields = dict(id="e-1", type="esis.test.v1.Thing", source="svc", time=MOMENT, subject="s-1", aimag="011",
                  traceparent="00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", key="k-1",
                  value=b"\x0a\x01x", topic="svc.things.v1")
    fields.update(changes)
    return Envelope(**fields)


def as_record(envelope: Envelope, offset: int = 7) -> FakeRecord:
    return FakeRecord(envelope.topic, 2, offset, envelope.key.encode(), envelope.value, envelope.headers())


def test_headers_carry_every_cloudevents_attribute():
    headers = dict(make_envelope().headers())
    assert headers == {"ce_specversion": b"1.0", "ce_id": b"e-1", "ce_type": b"esis.test.v1.Thing",
                       "ce_source": b"svc", "ce_time": b"2024-09-01T08:30:15.123456Z", "ce_subject": b"s-1",
                       "traceparent": b"00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
                       "aimag": b"011"}


def test_aimag_and_traceparent_are_omitted_when_unset():
    names = [name for name, _ in make_envelope(aimag=None, traceparent=None).headers()]
    assert "aimag" not in names and "traceparent" not in names


def test_record_round_trip_restores_the_envelope_and_its_coordinates():
    original = make_envelope()
    restored = Envelope.from_record(as_record(original))
    assert restored == Envelope(**{**original.__dict__, "partition": 2, "offset": 7})


def test_naive_time_from_sqlite_is_read_as_utc():
    assert rfc3339(datetime(2024, 1, 2, 3, 4, 5)) == "2024-01-02T03:04:05.000000Z"


@pytest.mark.parametrize("missing", ["ce_id", "ce_type", "ce_time"])
def test_record_without_a_required_header_is_invalid(missing):
    record = as_record(make_envelope())
    headers = [(name, value) for name, value in record.headers if name != missing]
    with pytest.raises(InvalidEnvelope, match=missing):
        Envelope.from_record(FakeRecord(record.topic, 0, 0, record.key, record.value, headers))


def test_garbled_time_is_invalid():
    headers = [(n, b"yesterday" if n == "ce_time" else v) for n, v in make_envelope().headers()]
    with pytest.raises(InvalidEnvelope, match="RFC 3339"):
        Envelope.from_record(FakeRecord("t", 0, 0, None, b"", headers))


def test_for_message_names_the_protobuf_type_and_keys_by_aggregate():
    envelope = Envelope.for_message(StringValue(value="hi"), source="svc", topic="svc.things.v1", key="a-9")
    assert (envelope.type, envelope.subject, envelope.key) == ("google.protobuf.StringValue", "a-9", "a-9")
    assert StringValue.FromString(envelope.value).value == "hi"


def test_publish_sends_key_value_and_headers_to_the_envelope_topic():
    broker = FakeBroker()
    broker.create_topic("svc.things.v1", partitions=3)
    envelope = make_envelope()
    publish(broker.producer(), envelope)
    [record] = broker.records("svc.things.v1")
    assert (record.key, record.value, record.headers) == (b"k-1", envelope.value, envelope.headers())


def test_publish_refuses_an_envelope_without_topic():
    with pytest.raises(ValueError, match="no topic"):
        publish(FakeBroker().producer(), make_envelope(topic=None))
