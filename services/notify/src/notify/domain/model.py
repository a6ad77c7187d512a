"""A delivery: one notification request and what happened to it.

The request's ``key`` is the delivery's identity, so a request delivered twice by AMQP is one delivery and one
message to the guardian. A delivery waits for its ``not_before``, for the end of the guardian's quiet hours and,
when the guardian chose a digest, for the digest time; then it tries its channels in order, retrying temporary
failures with exponential back-off and moving to the next channel after a permanent failure or too many tries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

PENDING, SENT, FAILED = "pending", "sent", "failed"
DEFAULT_TZ = "Asia/Ulaanbaatar"


class InvalidRequest(ValueError):
    """The request cannot be delivered as written (missing key, no channel, unknown channel)."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts_per_channel: int = 4
    first_backoff: timedelta = timedelta(seconds=30)
    max_backoff: timedelta = timedelta(hours=1)

    def backoff(self, attempts: int) -> timedelta:
        return min(self.first_backoff * (2 ** max(attempts - 1, 0)), self.max_backoff)


@dataclass
class Delivery:
    key: str
    account_id: str
    event_type: str
    learner_id: str
    text: str
    channels: list[tuple[str, str]]
    created_at: datetime
    due_at: datetime
    digest: bool = False
    lang: str = "mn"
    status: str = PENDING
    channel_index: int = 0
    attempts: int = 0
    sent_channel: str = ""
    last_error: str = ""
    updated_at: datetime | None = None
    history: list[dict[str, Any]] = field(default_factory=list)

    @property
    def channel(self) -> tuple[str, str]:
        return self.channels[self.channel_index]

    def is_due(self, now: datetime) -> bool:
        return self.status == PENDING and self.due_at <= now

    def sent(self, now: datetime, provider_ref: str = "") -> None:
        self._log(now, "sent", provider_ref)
        self.status, self.sent_channel, self.attempts = SENT, self.channel[0], self.attempts + 1
        self.updated_at = now
        self._forget_secret()

    def failed(self, now: datetime, error: str, *, permanent: bool, policy: RetryPolicy) -> None:
        self.attempts += 1
        self.last_error = error[:500]
        self._log(now, "permanent_failure" if permanent else "temporary_failure", error[:200])
        if permanent or self.attempts >= policy.attempts_per_channel:
            self._next_channel(now)
        else:
            self.due_at = now + policy.backoff(self.attempts)
        self.updated_at = now

    def _next_channel(self, now: datetime) -> None:
        if self.channel_index + 1 >= len(self.channels):
            self.status = FAILED
            self._forget_secret()
            return
        self.channel_index, self.attempts, self.due_at = self.channel_index + 1, 0, now

    def _forget_secret(self) -> None:
        """A one-off message carries a security code: once it is sent (or can no longer be), keep no copy of it."""
        if self.event_type == DIRECT:
            self.text = REDACTED

    def _log(self, now: datetime, outcome: str, detail: str) -> None:
        self.history.append({"at": now.isoformat(), "channel": self.channel[0], "outcome": outcome,
                             "detail": detail})


def from_request(payload: dict[str, Any], now: datetime) -> Delivery:
    key = str(payload.get("key") or "").strip()
    channels = [(str(c.get("channel")), str(c.get("address"))) for c in payload.get("channels") or []]
    if not key or not channels or any(c not in ("push", "sms", "email") or not a for c, a in channels):
        raise InvalidRequest(f"request {key!r} needs a key and at least one known channel with an address")
    delivery = Delivery(key, str(payload.get("account_id", "")), str(payload.get("event_type", "")),
                        str(payload.get("learner_id", "")), str(payload.get("text", "")), channels, now, now,
                        bool(payload.get("digest")), str(payload.get("lang") or "mn"), updated_at=now)
    delivery.due_at = first_due(payload, now)
    return delivery


DIRECT = "direct"  # event_type of one-off messages (security codes): no preferences, no quiet hours, no digest
REDACTED = ""  # a settled direct message's text: the code is not kept


def from_direct(payload: dict[str, Any], now: datetime) -> Delivery:
    """A one-off message to one address (``{key, channel, address, text, account_id?}``), due at once.

    Security codes must arrive when asked for, so the guardian's quiet hours and digest do not apply; the key still
    makes a repeated request one message.
    """
    key = str(payload.get("key") or "").strip()
    channel, address = str(payload.get("channel") or ""), str(payload.get("address") or "").strip()
    text = str(payload.get("text") or "")
    if not key or channel not in ("push", "sms", "email") or not address or not text:
        raise InvalidRequest(f"direct message {key!r} needs a key, a known channel, an address and a text")
    return Delivery(key, str(payload.get("account_id") or ""), DIRECT, "", text, [(channel, address)], now, now,
                    lang=str(payload.get("lang") or "mn"), updated_at=now)


def first_due(payload: dict[str, Any], now: datetime) -> datetime:
    """When the delivery may first go out: not before ``not_before``, outside quiet hours, at the digest time."""
    zone = ZoneInfo(str(payload.get("timezone") or DEFAULT_TZ))
    due = max(now, datetime.fromisoformat(payload["not_before"])) if payload.get("not_before") else now
    if payload.get("digest"):
        due = next_time_of_day(due, _hhmm(payload.get("digest_at") or "19:00"), zone)
    quiet = payload.get("quiet_hours")
    if quiet:
        due = after_quiet_hours(due, _hhmm(quiet[0]), _hhmm(quiet[1]), zone)
    return due


def _hhmm(text: str) -> time:
    hours, minutes = text.split(":")
    return time(int(hours), int(minutes))


def next_time_of_day(after: datetime, at: time, zone: ZoneInfo) -> datetime:
    local = after.astimezone(zone)
    candidate = local.replace(hour=at.hour, minute=at.minute, second=0, microsecond=0)
    return candidate if candidate >= local else candidate + timedelta(days=1)


def after_quiet_hours(moment: datetime, start: time, end: time, zone: ZoneInfo) -> datetime:
    """``moment`` itself, or the end of the quiet hours it falls in (which may span midnight)."""
    local = moment.astimezone(zone)
    clock = local.time()
    inside = start <= clock < end if start <= end else (clock >= start or clock < end)
    if not inside or start == end:
        return moment
    end_today = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    return end_today if end_today > local else end_today + timedelta(days=1)


def digest_text(deliveries: list[Delivery]) -> str:
    heading = "Daily summary:" if deliveries[0].lang == "en" else "Өдрийн тойм:"
    return "\n".join([heading, *(f"• {d.text}" for d in deliveries)])


def receipt(delivery: Delivery) -> dict[str, Any]:
    """What the guardian may see about the delivery (published as ``delivery_recorded``)."""
    status = {PENDING: "queued", SENT: "sent", FAILED: "failed"}[delivery.status]
    return {"key": delivery.key, "account_id": delivery.account_id, "event_type": delivery.event_type,
            "learner_id": delivery.learner_id, "status": status, "attempts": delivery.attempts,
            "channel": delivery.sent_channel or (delivery.channel[0] if delivery.status != PENDING else ""),
            "updated_at": (delivery.updated_at or delivery.created_at).isoformat(),
            "detail": delivery.last_error if delivery.status == FAILED else ""}
