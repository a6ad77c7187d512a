"""Delivery rules without a broker: idempotency, quiet hours, digests, retries with back-off, channel fallback."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from notify.adapters.memory import MemoryStore
from notify.domain.model import FAILED, SENT, InvalidRequest, RetryPolicy, receipt
from notify.service_layer.delivery import accept, deliver_due
from notify.service_layer.ports import PermanentFailure, TemporaryFailure

NOON = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)  # 12:00 in Ulaanbaatar
LATE = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)  # 23:00 in Ulaanbaatar
POLICY = RetryPolicy(attempts_per_channel=3, first_backoff=timedelta(seconds=30))


class Recorder:
    def __init__(self, *outcomes: Exception | None) -> None:
        self.outcomes = list(outcomes)
        self.sent: list[tuple[str, str, str]] = []

    def send(self, address: str, text: str, *, key: str) -> str:
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise outcome
        self.sent.append((address, text, key))
        return f"ref-{len(self.sent)}"


def request(key: str = "absence:lrn-bat:2026-11-30:acc-mother", **changes: Any) -> dict[str, Any]:
    base = {"key": key, "account_id": "acc-mother", "event_type": "absence", "learner_id": "lrn-bat",
            "text": "Д.Бат: өнөөдөр ирээгүй.", "not_before": None, "quiet_hours": ["22:00", "07:00"],
            "channels": [{"channel": "sms", "address": "99112233"}, {"channel": "email", "address": "o@x.mn"}],
            "digest": False, "digest_at": "19:00", "timezone": "Asia/Ulaanbaatar", "lang": "mn"}
    return {**base, **changes}


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


def test_one_absence_is_one_sms_even_when_the_request_arrives_twice(store) -> None:
    sms = Recorder()
    assert accept(request(), store, NOON) is not None
    assert accept(request(), store, NOON) is None

    deliver_due(store, {"sms": sms}, NOON)
    deliver_due(store, {"sms": sms}, NOON + timedelta(minutes=1))

    assert sms.sent == [("99112233", "Д.Бат: өнөөдөр ирээгүй.", "absence:lrn-bat:2026-11-30:acc-mother")]
    assert store.get(request()["key"]).status == SENT


def test_a_request_in_quiet_hours_waits_until_they_end(store) -> None:
    sms = Recorder()
    accept(request(), store, LATE)

    assert deliver_due(store, {"sms": sms}, LATE + timedelta(hours=7)) == []
    changed = deliver_due(store, {"sms": sms}, datetime(2026, 11, 30, 23, 0, tzinfo=UTC))  # 07:00 next day

    assert [d.key for d in changed] == [request()["key"]] and len(sms.sent) == 1


def test_not_before_is_respected(store) -> None:
    accept(request(not_before="2026-12-01T17:00:00+08:00"), store, NOON)

    assert store.get(request()["key"]).due_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_digest_requests_go_out_together_at_the_digest_time(store) -> None:
    sms = Recorder()
    for n in (1, 2):
        accept(request(f"mark:asm-{n}:lrn-bat:acc-mother", event_type="mark", text=f"Дүн {n}", digest=True),
               store, NOON)

    assert deliver_due(store, {"sms": sms}, NOON + timedelta(hours=6)) == []
    deliver_due(store, {"sms": sms}, NOON + timedelta(hours=7))  # 19:00 in Ulaanbaatar

    [(_, text, key)] = sms.sent
    assert text == "Өдрийн тойм:\n• Дүн 1\n• Дүн 2"
    assert key.startswith("digest:")


def test_a_temporary_failure_is_retried_with_growing_back_off(store) -> None:
    sms = Recorder(TemporaryFailure("timeout"), TemporaryFailure("timeout"))
    accept(request(), store, NOON)

    deliver_due(store, {"sms": sms}, NOON)
    first_retry = store.get(request()["key"]).due_at
    deliver_due(store, {"sms": sms}, first_retry)
    second_retry = store.get(request()["key"]).due_at
    deliver_due(store, {"sms": sms}, second_retry)

    assert (first_retry - NOON, second_retry - first_retry) == (timedelta(seconds=30), timedelta(seconds=60))
    assert store.get(request()["key"]).status == SENT and len(sms.sent) == 1


def test_a_permanent_failure_falls_back_to_the_next_channel_at_once(store) -> None:
    sms, email = Recorder(PermanentFailure("no such number")), Recorder()
    accept(request(), store, NOON)

    deliver_due(store, {"sms": sms, "email": email}, NOON)
    deliver_due(store, {"sms": sms, "email": email}, NOON)

    assert email.sent and email.sent[0][0] == "o@x.mn"
    found = store.get(request()["key"])
    assert (found.status, found.sent_channel) == (SENT, "email")
    assert receipt(found)["channel"] == "email"


def test_too_many_temporary_failures_move_on_and_then_give_up(store) -> None:
    failing = Recorder(*[TemporaryFailure("down")] * 10)
    accept(request(), store, NOON)
    now = NOON
    for _ in range(6):
        deliver_due(store, {"sms": failing, "email": failing}, now, POLICY)
        now += timedelta(hours=1)

    found = store.get(request()["key"])
    assert found.status == FAILED and found.attempts == 3 and found.channel_index == 1
    assert receipt(found)["status"] == "failed" and receipt(found)["detail"] == "down"


def test_a_channel_without_a_provider_is_skipped(store) -> None:
    email = Recorder()
    accept(request(), store, NOON)

    deliver_due(store, {"email": email}, NOON)
    deliver_due(store, {"email": email}, NOON)

    assert len(email.sent) == 1


@pytest.mark.parametrize("broken", [{"key": ""}, {"channels": []}, {"channels": [{"channel": "fax", "address": 1}]},
                                    {"channels": [{"channel": "sms", "address": ""}]}])
def test_requests_that_cannot_be_delivered_are_refused(store, broken) -> None:
    with pytest.raises(InvalidRequest):
        accept(request(**broken), store, NOON)


def test_a_queued_receipt_says_so_without_a_channel(store) -> None:
    delivery = accept(request(), store, LATE)

    assert receipt(delivery) | {"updated_at": ""} == {
        "key": request()["key"], "account_id": "acc-mother", "event_type": "absence", "learner_id": "lrn-bat",
        "status": "queued", "attempts": 0, "channel": "", "updated_at": "", "detail": ""}
