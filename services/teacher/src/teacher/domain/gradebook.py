"""Grade sheets: a class's term or annual grades in one subject, and their approval.

The class teacher refreshes the computed percents from the marks, may override a learner's percent with a
reason (the computed one is kept), and submits; the school's training manager approves or returns it. Approval
publishes every learner's grade; an approved annual sheet is final and nothing changes it any more.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from enum import StrEnum

from teacher.domain import events
from teacher.domain.errors import Refused, invalid
from teacher.domain.reference import GradeScale

ANNUAL = 0
MIN_REASON = 5


class SheetStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"


@dataclass
class GradeEntry:
    learner_id: str
    computed: Decimal | None
    override: Decimal | None = None
    override_reason: str = ""
    overridden_by: str = ""

    @property
    def effective(self) -> Decimal | None:
        return self.override if self.override is not None else self.computed


def period_name(term: int) -> tuple[str, str]:
    return ("annual", "жилийн") if term == ANNUAL else (f"term {term}", f"{term}-р улирлын")


@dataclass(eq=False)
class GradeSheet:
    id: str
    where: events.Where
    subject_code: str
    school_year: str
    term: int  # ANNUAL (0) for the annual sheet
    status: SheetStatus = SheetStatus.DRAFT
    entries: dict[str, GradeEntry] = field(default_factory=dict)
    submitted_by: str = ""
    submitted_at: datetime | None = None
    decided_by: str = ""
    decided_at: datetime | None = None
    return_reason: str = ""
    events: list[events.Event] = field(default_factory=list, repr=False)

    @property
    def is_final(self) -> bool:
        return self.term == ANNUAL and self.status is SheetStatus.APPROVED

    def describe(self) -> tuple[str, str]:
        period, period_mn = period_name(self.term)
        return (f"the {period} grades of {self.subject_code} in class {self.where.class_id}",
                f"{self.where.class_id} ангийн {self.subject_code} хичээлийн {period_mn} дүн")

    def require_open(self) -> None:
        """Refuse any change unless the sheet is a draft, saying why."""
        what, what_mn = self.describe()
        if self.is_final:
            raise Refused(f"{what.capitalize()} are final", f"{what_mn} баталгаажсан тул өөрчлөхгүй.",
                          code="grades_final", sheet_id=self.id)
        if self.status is SheetStatus.APPROVED:
            raise Refused(f"{what.capitalize()} are approved and can no longer change",
                          f"{what_mn} батлагдсан тул өөрчлөх боломжгүй.", code="grades_approved", sheet_id=self.id)
        if self.status is SheetStatus.SUBMITTED:
            raise Refused(f"{what.capitalize()} wait for approval; ask the training manager to return them first",
                          f"{what_mn} батлуулахаар илгээгдсэн; эхлээд сургалтын менежерээр буцаалгана уу.",
                          code="grades_submitted", sheet_id=self.id)

    def refresh(self, computed: Mapping[str, Decimal | None]) -> None:
        """Take the newly computed percents; overrides stay. Only a draft changes."""
        if self.status is not SheetStatus.DRAFT:
            return
        for learner, percent in computed.items():
            entry = self.entries.get(learner)
            if entry is None:
                self.entries[learner] = GradeEntry(learner, percent)
            else:
                entry.computed = percent

    def override(self, learner_id: str, percent: Decimal | None, reason: str, by: str) -> GradeEntry:
        """Set (or with ``percent=None`` remove) a teacher's override of one learner's grade."""
        self.require_open()
        entry = self._entry(learner_id)
        if percent is not None and len(reason.strip()) < MIN_REASON:
            raise invalid("reason", "Overriding a computed grade needs a reason (at least 5 characters)",
                          "Тооцоолсон дүнг өөрчлөхдөө шалтгааныг заавал бичнэ (5-аас доошгүй тэмдэгт).",
                          code="reason_required")
        entry.override, entry.override_reason = percent, reason.strip() if percent is not None else ""
        entry.overridden_by = by if percent is not None else ""
        return entry

    def submit(self, by: str, at: datetime) -> None:
        self.require_open()
        missing = sorted(learner for learner, entry in self.entries.items() if entry.effective is None)
        if missing:
            raise Refused(f"Cannot submit: no marks or grade yet for {', '.join(missing)}",
                          f"Илгээх боломжгүй: дүнгүй сурагч байна ({', '.join(missing)}).",
                          code="grades_incomplete", learner_ids=missing)
        if not self.entries:
            raise Refused("Cannot submit an empty grade sheet", "Хоосон дүнгийн хуудсыг илгээх боломжгүй.",
                          code="grades_incomplete", learner_ids=[])
        self.status, self.submitted_by, self.submitted_at, self.return_reason = SheetStatus.SUBMITTED, by, at, ""

    def return_to_teacher(self, by: str, at: datetime, reason: str) -> None:
        self._require_submitted()
        if len(reason.strip()) < MIN_REASON:
            raise invalid("reason", "Say why the grades go back to the teacher (at least 5 characters)",
                          "Буцаах шалтгааныг бичнэ үү (5-аас доошгүй тэмдэгт).", code="reason_required")
        self.status, self.decided_by, self.decided_at = SheetStatus.DRAFT, by, at
        self.return_reason = reason.strip()

    def approve(self, by: str, at: datetime, scale: GradeScale) -> None:
        self._require_submitted()
        self.status, self.decided_by, self.decided_at = SheetStatus.APPROVED, by, at
        kind = events.AnnualGradeFinalized if self.term == ANNUAL else events.TermGradePublished
        for learner, entry in sorted(self.entries.items()):
            percent = entry.effective
            assert percent is not None  # submit() checked every entry
            self.events.append(kind(at, learner, self.where, self.subject_code, self.school_year, self.term, percent,
                                    scale.code, scale.band_for(percent).code, entry.override is not None, by))

    def _entry(self, learner_id: str) -> GradeEntry:
        entry = self.entries.get(learner_id)
        if entry is None:
            raise Refused(f"{learner_id} is not on this grade sheet", f"{learner_id} энэ дүнгийн хуудсанд байхгүй.",
                          code="learner_not_on_sheet", learner_id=learner_id)
        return entry

    def _require_submitted(self) -> None:
        if self.status is not SheetStatus.SUBMITTED:
            what, what_mn = self.describe()
            raise Refused(f"{what.capitalize()} are not waiting for approval (status: {self.status})",
                          f"{what_mn} батлуулахаар ирээгүй байна (төлөв: {self.status}).", code="not_submitted",
                          status=str(self.status))
