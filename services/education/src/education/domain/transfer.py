"""The transfer saga between two schools.

Either the sending school requests (→ awaiting the receiver's approval), or the receiving school requests and
the sender releases (awaiting release → awaiting approval). The receiver approves into one of its classes or
rejects. Approval changes the learner in the same transaction as the transfer, so the learner stays enrolled
at the sender until the moment they are enrolled at the receiver. A pending transfer left too long is escalated
to the first-level education department of the school that has to act.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from education.domain import events
from education.domain.base import Aggregate
from education.domain.classes import SchoolClass
from education.domain.errors import Conflict, invalid
from education.domain.learners import Learner


class TransferState(StrEnum):
    AWAITING_RELEASE = "awaiting_release"
    AWAITING_APPROVAL = "awaiting_approval"
    APPROVED = "approved"
    REJECTED = "rejected"
    CANCELLED = "cancelled"


class Side(StrEnum):
    SENDER = "sender"
    RECEIVER = "receiver"


OPEN_STATES = frozenset({TransferState.AWAITING_RELEASE, TransferState.AWAITING_APPROVAL})


@dataclass(eq=False)
class Transfer(Aggregate):
    id: str
    learner_id: str
    from_school_id: str
    to_school_id: str
    initiated_by: Side
    state: TransferState
    requested_at: datetime
    last_change_at: datetime
    reason: str = ""
    decided_by: str | None = None
    to_class_id: str | None = None
    effective_on: date | None = None
    escalated_to_id: str | None = None
    escalated_at: datetime | None = None

    @classmethod
    def request(cls, *, id: str, learner: Learner, to_school_id: str, initiated_by: Side, at: datetime,
                reason: str = "") -> Transfer:
        current = learner.open_enrolment
        if current is None:
            raise Conflict("Суралцагч аль ч сургуульд суралцаагүй тул шилжүүлэх боломжгүй; элсүүлнэ үү.",
                           "The learner is not enrolled anywhere, so there is nothing to transfer; enrol instead.",
                           code="transfer_learner_not_enrolled")
        if current.school_id == to_school_id:
            raise invalid("to_school_id", "transfer_same_school", "Нэг сургууль дотор бүлэг солихыг ашиглана уу.",
                          "Within one school, use a class move.")
        state = TransferState.AWAITING_APPROVAL if initiated_by is Side.SENDER else TransferState.AWAITING_RELEASE
        transfer = cls(id=id, learner_id=learner.id, from_school_id=current.school_id, to_school_id=to_school_id,
                       initiated_by=initiated_by, state=state, requested_at=at, last_change_at=at,
                       reason=reason.strip())
        transfer.record(events.TransferRequested(*transfer._ids(), initiated_by=initiated_by.value))
        return transfer

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def acting_school_id(self) -> str | None:
        """The school whose decision the transfer waits for."""
        if self.state is TransferState.AWAITING_RELEASE:
            return self.from_school_id
        return self.to_school_id if self.state is TransferState.AWAITING_APPROVAL else None

    def release(self, *, by: str, at: datetime) -> None:
        self._require(TransferState.AWAITING_RELEASE)
        self._move(TransferState.AWAITING_APPROVAL, at)
        self.record(events.TransferReleased(*self._ids()))

    def approve(self, learner: Learner, to_class: SchoolClass, *, on: date, by: str, at: datetime) -> None:
        self._require(TransferState.AWAITING_APPROVAL)
        if to_class.school_id != self.to_school_id:
            raise invalid("class_id", "transfer_class_other_school", "Хүлээн авах сургуулийн бүлгийг сонгоно уу.",
                          "Choose a class of the receiving school.")
        learner.complete_transfer(self.from_school_id, to_class, on)
        self.decided_by, self.to_class_id, self.effective_on = by, to_class.id, on
        self._move(TransferState.APPROVED, at)
        self.record(events.TransferApproved(*self._ids(), to_class_id=to_class.id, on=on))

    def reject(self, reason: str, *, by: str, at: datetime) -> None:
        """The receiver declines, or the sender refuses to release."""
        if not self.is_open:
            self._require(TransferState.AWAITING_APPROVAL)
        if not reason.strip():
            raise invalid("reason", "transfer_reason_required", "Татгалзсан шалтгааныг бичнэ үү.",
                          "Give the reason for the rejection.")
        side = Side.SENDER if self.state is TransferState.AWAITING_RELEASE else Side.RECEIVER
        self.reason, self.decided_by = reason.strip(), by
        self._move(TransferState.REJECTED, at)
        self.record(events.TransferRejected(*self._ids(), reason=self.reason, by=side.value))

    def cancel(self, *, by: str, at: datetime) -> None:
        if not self.is_open:
            self._require(TransferState.AWAITING_APPROVAL)
        self.decided_by = by
        self._move(TransferState.CANCELLED, at)
        self.record(events.TransferCancelled(*self._ids()))

    def is_stale(self, now: datetime, after: timedelta) -> bool:
        return self.is_open and self.escalated_to_id is None and now - self.last_change_at >= after

    def escalate(self, department_id: str, at: datetime) -> None:
        if not self.is_open:
            return
        self.escalated_to_id, self.escalated_at = department_id, at
        self.record(events.TransferEscalated(*self._ids(), escalated_to_id=department_id))

    def initiator_school_id(self) -> str:
        return self.from_school_id if self.initiated_by is Side.SENDER else self.to_school_id

    def _move(self, state: TransferState, at: datetime) -> None:
        self.state, self.last_change_at = state, at

    def _require(self, state: TransferState) -> None:
        if self.state is not state:
            raise Conflict(f"Шилжүүлгийн төлөв '{self.state}' тул энэ үйлдэл боломжгүй.",
                           f"The transfer is '{self.state}', so this is not possible.",
                           code="transfer_wrong_state", details={"state": self.state.value, "expected": state.value})

    def _ids(self) -> tuple[str, str, str, str]:
        return self.id, self.learner_id, self.from_school_id, self.to_school_id
