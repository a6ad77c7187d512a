"""Teacher feedback to the ministry: a suggestion or complaint that goes straight to the ministry's inbox.

Status: received → in review → answered, or forwarded to an aimag department or a school, which answers it.
With "anonymous to school" the sender is hidden from everyone but the ministry and the sender: a school or
aimag that receives the item sees its text, never who wrote it. Events never name the sender at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from teacher.domain import events
from teacher.domain.access import Actor
from teacher.domain.errors import NotPermitted, Refused, invalid
from teacher.domain.journal import clean_text

MIN_TEXT = 10
MAX_TEXT = 5000
ATTACHMENT_REF = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,199}$")


class FeedbackStatus(StrEnum):
    RECEIVED = "received"
    IN_REVIEW = "in_review"
    FORWARDED = "forwarded"
    ANSWERED = "answered"


class Recipient(StrEnum):
    MINISTRY = "ministry"
    AIMAG = "aimag"
    SCHOOL = "school"


@dataclass(frozen=True)
class StatusChange:
    status: FeedbackStatus
    at: datetime
    by_kind: str
    note: str = ""


def _check_text(text: str) -> str:
    clean = clean_text(text, "text", MAX_TEXT)
    if len(clean) < MIN_TEXT:
        raise invalid("text", f"Write at least {MIN_TEXT} characters", f"Хамгийн багадаа {MIN_TEXT} тэмдэгт бичнэ үү.",
                      code="too_short")
    return clean


def _check_attachment(ref: str) -> str:
    ref = ref.strip()
    if ref and not ATTACHMENT_REF.match(ref):
        raise invalid("attachment_ref", "The attachment reference is not a file id",
                      "Хавсралтын дугаар буруу байна.", code="bad_attachment_ref")
    return ref


@dataclass(eq=False)
class Feedback:
    id: str
    sender_id: str
    school_id: str
    aimag: str | None
    category: str
    text: str
    attachment_ref: str
    anonymous_to_school: bool
    created_at: datetime
    status: FeedbackStatus = FeedbackStatus.RECEIVED
    forwarded_to_kind: str = ""
    forwarded_to_id: str = ""
    answer: str = ""
    answered_at: datetime | None = None
    history: list[StatusChange] = field(default_factory=list)
    events: list[events.Event] = field(default_factory=list, repr=False)

    @classmethod
    def send(cls, *, feedback_id: str, sender_id: str, school_id: str, aimag: str | None, category: str, text: str,
             attachment_ref: str, anonymous_to_school: bool, at: datetime) -> Feedback:
        item = cls(feedback_id, sender_id, school_id, aimag, category, _check_text(text),
                   _check_attachment(attachment_ref), anonymous_to_school, at)
        item.history.append(StatusChange(FeedbackStatus.RECEIVED, at, "teacher"))
        item.events.append(events.FeedbackReceived(at, item.id, category, aimag, item.public_school_id,
                                                   bool(item.attachment_ref)))
        return item

    @property
    def public_school_id(self) -> str:
        return "" if self.anonymous_to_school else self.school_id

    def sender_seen_by(self, viewer: Actor) -> str | None:
        """The sender's account id as ``viewer`` may see it (None: hidden)."""
        if viewer.account_id == self.sender_id or viewer.is_ministry:
            return self.sender_id
        return None if self.anonymous_to_school else self.sender_id

    def start_review(self, at: datetime) -> None:
        self._move({FeedbackStatus.RECEIVED}, FeedbackStatus.IN_REVIEW, at, Recipient.MINISTRY)

    def forward(self, to_kind: str, to_id: str, note: str, at: datetime) -> None:
        if to_kind not in (Recipient.AIMAG, Recipient.SCHOOL) or not to_id.strip():
            raise invalid("to_kind", "Forward to an aimag (NSO code) or a school (org id)",
                          "Аймаг (ҮСХ-ны код) эсвэл сургууль руу шилжүүлнэ.", code="bad_recipient")
        self.forwarded_to_kind, self.forwarded_to_id = to_kind, to_id.strip()
        self._move({FeedbackStatus.IN_REVIEW}, FeedbackStatus.FORWARDED, at, Recipient.MINISTRY,
                   clean_text(note, "note", MAX_TEXT, required=False))

    def reply(self, answer: str, by_kind: str, at: datetime) -> None:
        text = clean_text(answer, "answer", MAX_TEXT)
        self._move({FeedbackStatus.IN_REVIEW, FeedbackStatus.FORWARDED}, FeedbackStatus.ANSWERED, at, by_kind)
        self.answer, self.answered_at = text, at
        self.events.append(events.FeedbackAnswered(at, self.id, self.category, self.aimag, self.public_school_id,
                                                   by_kind))

    def _move(self, allowed: set[FeedbackStatus], to: FeedbackStatus, at: datetime, by_kind: str,
              note: str = "") -> None:
        if self.status not in allowed:
            raise Refused(f"Feedback in status '{self.status}' cannot become '{to}'",
                          f"'{self.status}' төлөвтэй саналыг '{to}' болгох боломжгүй.", code="bad_transition",
                          status=str(self.status))
        self.status = to
        self.history.append(StatusChange(to, at, str(by_kind), note))
        if to is not FeedbackStatus.ANSWERED:
            self.events.append(events.FeedbackStatusChanged(at, self.id, self.category, self.aimag,
                                                            self.public_school_id, str(to), self.forwarded_to_kind,
                                                            self.forwarded_to_id))

    # ------------------------------------------------------------ who may see and handle it

    def recipient_of(self, actor: Actor) -> str | None:
        """How ``actor`` handles this item: as the ministry, or as the aimag / school it was forwarded to."""
        if actor.is_ministry:
            return Recipient.MINISTRY
        if self.status is not FeedbackStatus.FORWARDED and not self.answered_after_forward:
            return None
        if self.forwarded_to_kind == Recipient.SCHOOL and actor.manages_school(self.forwarded_to_id):
            return Recipient.SCHOOL
        if self.forwarded_to_kind == Recipient.AIMAG and actor.covers_aimag(self.forwarded_to_id):
            return Recipient.AIMAG
        return None

    @property
    def answered_after_forward(self) -> bool:
        return self.status is FeedbackStatus.ANSWERED and bool(self.forwarded_to_kind)

    def may_view(self, actor: Actor) -> bool:
        return actor.account_id == self.sender_id or self.recipient_of(actor) is not None

    def require_handler(self, actor: Actor, ministry_only: bool = False) -> str:
        recipient = self.recipient_of(actor)
        if recipient is None or (ministry_only and recipient != Recipient.MINISTRY):
            raise NotPermitted("Only the ministry (or the aimag or school it forwarded this to) may handle it",
                               "Зөвхөн яам (эсвэл шилжүүлсэн аймаг, сургууль) шийдвэрлэнэ.",
                               code="not_feedback_handler")
        return recipient
