"""Notification preferences of a guardian and the requests the portal sends to the notify service.

Parent owns the preferences and writes the text in the guardian's language; notify owns delivery (channel
fallback, quiet hours, digest, retries, receipts). ``key`` makes a request idempotent end to end: the same
absence produces the same key however often its event is delivered or corrected.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from parent.domain.errors import invalid

UB = ZoneInfo("Asia/Ulaanbaatar")
EVENT_TYPES = ("absence", "late", "mark", "grade", "homework", "message")
CHANNELS = ("push", "sms", "email")
HOMEWORK_REMINDER_AT = time(17, 0)


@dataclass(frozen=True)
class TypeSetting:
    enabled: bool = True
    digest: bool = False


DEFAULT_TYPES = {kind: TypeSetting(digest=kind == "mark") for kind in EVENT_TYPES}


@dataclass
class Preferences:
    account_id: str
    channels: tuple[str, ...] = CHANNELS  # the order is the fallback order
    quiet_start: time | None = time(22, 0)
    quiet_end: time | None = time(7, 0)
    digest_at: time = time(19, 0)
    types: dict[str, TypeSetting] = field(default_factory=lambda: dict(DEFAULT_TYPES))

    def setting(self, kind: str) -> TypeSetting:
        return self.types.get(kind, DEFAULT_TYPES[kind])

    def change(self, *, channels: list[str], quiet_start: time | None, quiet_end: time | None, digest_at: time,
               types: dict[str, TypeSetting]) -> None:
        unknown = [c for c in channels if c not in CHANNELS]
        if unknown or not channels or len(set(channels)) != len(channels):
            raise invalid("channels", "Choose one or more of push, SMS and e-mail, each once",
                          "Push, SMS, и-мэйлээс нэг буюу хэдийг давхардуулалгүй сонгоно уу.")
        if (quiet_start is None) != (quiet_end is None):
            raise invalid("quiet_end", "Give both ends of the quiet hours, or neither",
                          "Чимээгүй цагийн эхлэл, төгсгөлийг хоёуланг нь оруулна уу.")
        self.channels, self.quiet_start, self.quiet_end, self.digest_at = tuple(channels), quiet_start, quiet_end, \
            digest_at
        self.types = {kind: types.get(kind, self.setting(kind)) for kind in EVENT_TYPES}


@dataclass(frozen=True)
class Contacts:
    phone: str = ""
    email: str = ""
    push_token: str = ""
    lang: str = "mn"

    def address(self, channel: str) -> str:
        return {"sms": self.phone, "email": self.email, "push": self.push_token}[channel]


@dataclass(frozen=True)
class NotificationRequest:
    key: str
    account_id: str
    event_type: str
    learner_id: str
    text: str
    not_before: datetime | None = None
    channels: tuple[tuple[str, str], ...] = ()  # (channel, address) in fallback order
    quiet_hours: tuple[str, str] | None = None
    digest: bool = False
    digest_at: str = "19:00"
    lang: str = "mn"

    def payload(self) -> dict[str, Any]:
        return {"key": self.key, "account_id": self.account_id, "event_type": self.event_type,
                "learner_id": self.learner_id, "text": self.text,
                "not_before": self.not_before.isoformat() if self.not_before else None,
                "channels": [{"channel": c, "address": a} for c, a in self.channels],
                "quiet_hours": list(self.quiet_hours) if self.quiet_hours else None, "digest": self.digest,
                "digest_at": self.digest_at, "timezone": "Asia/Ulaanbaatar", "lang": self.lang}


def request_for(base: NotificationRequest, prefs: Preferences, contacts: Contacts) -> NotificationRequest | None:
    """The request with the guardian's channels and timing, or None when they switched this kind off."""
    setting = prefs.setting(base.event_type)
    channels = tuple((c, contacts.address(c)) for c in prefs.channels if contacts.address(c))
    if not setting.enabled or not channels:
        return None
    quiet = (_hhmm(prefs.quiet_start), _hhmm(prefs.quiet_end)) if prefs.quiet_start and prefs.quiet_end else None
    return replace(base, channels=channels, quiet_hours=quiet, digest=setting.digest,
                   digest_at=_hhmm(prefs.digest_at), lang=contacts.lang)


def _hhmm(value: time | None) -> str:
    return value.strftime("%H:%M") if value else ""


def homework_reminder_time(due_on: date, now: datetime) -> datetime | None:
    """The evening before the due day; None when that evening has passed (due today or earlier)."""
    if due_on <= now.astimezone(UB).date():
        return None
    return datetime.combine(due_on - timedelta(days=1), HOMEWORK_REMINDER_AT, tzinfo=UB)


TEXTS = {
    "absence": ("{child}: marked absent today ({code}).", "{child}: өнөөдөр ирээгүй гэж бүртгэгдлээ ({code})."),
    "late": ("{child}: marked late today.", "{child}: өнөөдөр хоцорсон гэж бүртгэгдлээ."),
    "mark": ("{child}: new mark in {subject}: {percent}%.", "{child}: {subject} хичээлд шинэ дүн: {percent}%."),
    "grade": ("{child}: term {term} grade in {subject}: {band} ({percent}%).",
              "{child}: {subject} хичээлийн {term}-р улирлын дүн: {band} ({percent}%)."),
    "homework": ("{child}: homework in {subject} is due tomorrow.",
                 "{child}: {subject} хичээлийн гэрийн даалгавар маргааш хүлээлгэж өгнө."),
    "message": ("{child}: new message from {teacher}.", "{child}: {teacher} багшаас шинэ мессеж ирлээ."),
    "consultation": ("{child}: {teacher} answered your consultation request.",
                     "{child}: {teacher} багш уулзалтын хүсэлтэд тань хариулсан."),
}


def text(kind: str, lang: str, **values: Any) -> str:
    english, mongolian = TEXTS[kind]
    return (english if lang == "en" else mongolian).format(**values)
