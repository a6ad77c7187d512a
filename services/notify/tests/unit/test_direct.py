"""One-off messages (security codes): sent at once, once per key, whatever the hour."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from notify.adapters.memory import MemoryStore
from notify.domain.model import DIRECT, FAILED, SENT, InvalidRequest, from_direct
from notify.service_layer.delivery import accept, deliver_due
from notify.service_layer.ports import PermanentFailure

MIDNIGHT = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 00:00 in Ulaanbaatar


class Recorder:
    def __init__(self) -> None:
        self.sent: list[tuple[str, str, str]] = []

    def send(self, address: str, text: str, *, key: str) -> str:
        self.sent.append((address, text, key))
        return "ref"


def payload(**changes: object) -> dict[str, object]:
    return {"key": "signup-code:99112233:1", "channel": "sms", "address": "99112233", "text": "Код: 123456",
            **changes}


def test_a_direct_message_is_due_at_once_even_at_midnight() -> None:
    store, sms = MemoryStore(), Recorder()

    accept(payload(), store, MIDNIGHT, direct=True)
    changed = deliver_due(store, {"sms": sms}, MIDNIGHT)

    assert sms.sent == [("99112233", "Код: 123456", "signup-code:99112233:1")]
    assert [(d.status, d.event_type) for d in changed] == [(SENT, DIRECT)]


def test_the_same_key_twice_is_one_message() -> None:
    store, sms = MemoryStore(), Recorder()

    assert accept(payload(), store, MIDNIGHT, direct=True) is not None
    assert accept(payload(text="other"), store, MIDNIGHT, direct=True) is None
    deliver_due(store, {"sms": sms}, MIDNIGHT)

    assert len(sms.sent) == 1


@pytest.mark.parametrize("change", [{"key": ""}, {"channel": "fax"}, {"address": " "}, {"text": ""}])
def test_an_incomplete_direct_message_is_refused(change: dict[str, object]) -> None:
    with pytest.raises(InvalidRequest):
        from_direct(payload(**change), MIDNIGHT)


def test_a_sent_code_is_not_kept_in_the_store() -> None:
    store, sms = MemoryStore(), Recorder()

    accept(payload(), store, MIDNIGHT, direct=True)
    deliver_due(store, {"sms": sms}, MIDNIGHT)

    stored = store.get("signup-code:99112233:1")
    assert stored is not None and stored.status == SENT
    assert "123456" not in stored.text and "123456" not in str(stored.history)


def test_a_code_that_cannot_be_delivered_is_not_kept_either() -> None:
    class Refusing:
        def send(self, address: str, text: str, *, key: str) -> str:
            raise PermanentFailure("number not reachable")

    store = MemoryStore()
    accept(payload(), store, MIDNIGHT, direct=True)
    deliver_due(store, {"sms": Refusing()}, MIDNIGHT)

    stored = store.get("signup-code:99112233:1")
    assert stored is not None and stored.status == FAILED and "123456" not in stored.text
