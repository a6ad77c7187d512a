"""The nameko service's entrypoints driven by nameko's own ``worker_factory`` (dependencies replaced)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nameko.testing.services import worker_factory
from notify.adapters.memory import MemoryStore
from notify.domain.model import RetryPolicy
from notify.entrypoints.service import NotifyService
from notify.service_layer.ports import TemporaryFailure

NOON = datetime(2026, 11, 30, 4, 0, tzinfo=UTC)


class Recorder:
    def __init__(self, fail_first: int = 0) -> None:
        self.fail_first = fail_first
        self.sent: list[tuple[str, str]] = []

    def send(self, address: str, text: str, *, key: str) -> str:
        if self.fail_first:
            self.fail_first -= 1
            raise TemporaryFailure("gateway timeout")
        self.sent.append((address, key))
        return "ref"


def request(**changes: object) -> dict[str, object]:
    return {"key": "absence:lrn-bat:2026-11-30:acc-mother", "account_id": "acc-mother", "event_type": "absence",
            "learner_id": "lrn-bat", "text": "Д.Бат: өнөөдөр ирээгүй.", "quiet_hours": None, "digest": False,
            "channels": [{"channel": "sms", "address": "99112233"}], "timezone": "Asia/Ulaanbaatar", **changes}


def service(sms: Recorder, now: datetime = NOON) -> NotifyService:
    clock = {"now": now}
    worker = worker_factory(NotifyService, store=MemoryStore(), providers={"sms": sms},
                            retries=RetryPolicy(3, timedelta(seconds=30)), clock=lambda: clock["now"])
    worker.test_clock = clock  # type: ignore[attr-defined]
    return worker


def test_a_request_is_sent_at_once_and_its_receipts_are_published() -> None:
    sms = Recorder()
    worker = service(sms)

    worker.on_request(request())

    assert sms.sent == [("99112233", "absence:lrn-bat:2026-11-30:acc-mother")]
    statuses = [call.args[1]["status"] for call in worker.dispatch.call_args_list]
    assert statuses == ["queued", "sent"]
    assert {call.args[0] for call in worker.dispatch.call_args_list} == {"delivery_recorded"}


def test_the_same_request_twice_is_one_sms_and_no_second_receipt() -> None:
    sms = Recorder()
    worker = service(sms)

    worker.on_request(request())
    worker.on_request(request())

    assert len(sms.sent) == 1
    assert worker.dispatch.call_count == 2


def test_the_timer_retries_after_the_back_off() -> None:
    sms = Recorder(fail_first=1)
    worker = service(sms)
    worker.on_request(request())
    assert sms.sent == []

    worker.test_clock["now"] = NOON + timedelta(seconds=31)
    worker.flush()

    assert len(sms.sent) == 1
    assert worker.dispatch.call_args_list[-1].args[1] | {"updated_at": ""} == {
        "key": "absence:lrn-bat:2026-11-30:acc-mother", "account_id": "acc-mother", "event_type": "absence",
        "learner_id": "lrn-bat", "status": "sent", "attempts": 2, "channel": "sms", "updated_at": "", "detail": ""}


def test_a_request_without_channels_is_dropped_without_receipts() -> None:
    worker = service(Recorder())

    worker.on_request(request(channels=[]))

    assert worker.dispatch.call_count == 0
    assert worker.receipts("acc-mother") == []


def test_a_direct_message_ignores_quiet_hours_and_a_repeat() -> None:
    sms = Recorder()
    worker = service(sms, now=datetime(2026, 11, 30, 16, 0, tzinfo=UTC))  # midnight in Ulaanbaatar
    payload = {"key": "signup-code:99112233:1", "channel": "sms", "address": "99112233", "text": "code 123456"}

    worker.on_direct(payload)
    worker.on_direct(payload)

    assert sms.sent == [("99112233", "signup-code:99112233:1")]
    assert worker.dispatch.call_args_list == []


def test_a_direct_message_without_an_address_is_dropped() -> None:
    sms = Recorder()
    worker = service(sms)

    assert worker.send_direct({"key": "k", "channel": "sms", "address": "", "text": "x"}) is None
    assert sms.sent == []
