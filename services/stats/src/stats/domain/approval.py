"""Approval of reported figures for one census: school → soum/district → aimag/capital → ministry.

A unit approves only when every unit one reporting level below it has approved its current revision. An
approved revision is locked; a correction creates the next revision with its reason and the changed values,
and re-opens every approved report above it (their totals included the corrected figures), each with a
documented revision of its own. Higher levels report the sum of the levels below.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from stats.domain.errors import ApprovalError, BelowNotApproved, FigureLocked
from stats.domain.lineage import fingerprint

Figures = dict[str, int]


class Status(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"


@dataclass(frozen=True)
class Change:
    key: str
    before: int | None
    after: int | None


@dataclass
class Revision:
    number: int
    figures: Figures
    created_by: str
    created_at: datetime
    reason: str = ""
    changes: tuple[Change, ...] = ()
    status: Status = Status.DRAFT
    approved_by: str | None = None
    approved_at: datetime | None = None

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.figures)


@dataclass
class Report:
    org_id: str
    revisions: list[Revision] = field(default_factory=list)

    @property
    def current(self) -> Revision:
        return self.revisions[-1]

    @property
    def approved(self) -> bool:
        return bool(self.revisions) and self.current.status is Status.APPROVED


@dataclass(frozen=True)
class ApprovalEvent:
    kind: str  # submitted | approved | corrected | reopened
    census_id: str
    org_id: str
    revision: int
    actor: str
    at: datetime
    reason: str = ""


def diff(before: Mapping[str, int], after: Mapping[str, int]) -> tuple[Change, ...]:
    keys = sorted(set(before) | set(after))
    return tuple(Change(k, before.get(k), after.get(k)) for k in keys if before.get(k) != after.get(k))


class ApprovalBook:
    """All reports of one census. ``children(org)`` / ``parent(org)`` follow the hierarchy of the census day."""

    def __init__(self, census_id: str, children: Callable[[str], list[str]], parent: Callable[[str], str | None],
                 reports: Mapping[str, Report] | None = None) -> None:
        self.census_id = census_id
        self.children = children
        self.parent = parent
        self.reports: dict[str, Report] = dict(reports or {})
        self.events: list[ApprovalEvent] = []

    def report(self, org_id: str) -> Report:
        return self.reports.setdefault(org_id, Report(org_id))

    def submit(self, org_id: str, figures: Figures, by: str, at: datetime) -> Revision:
        """A school's figures for the census; replaces a draft, never an approved revision."""
        report = self.report(org_id)
        if report.approved:
            raise FigureLocked(org_id)
        if report.revisions:
            report.current.figures, report.current.created_at = dict(figures), at
        else:
            report.revisions.append(Revision(1, dict(figures), by, at))
        self._record("submitted", org_id, by, at)
        return report.current

    def approve(self, org_id: str, by: str, at: datetime) -> Revision:
        pending = [c for c in self.children(org_id) if not (c in self.reports and self.reports[c].approved)]
        if pending:
            raise BelowNotApproved(org_id, pending)
        report = self.report(org_id)
        if report.approved:
            raise FigureLocked(org_id)
        if self.children(org_id):
            self._refresh_total(report, by, at)
        if not report.revisions:
            raise ApprovalError(f"{org_id} has submitted no figures", f"{org_id} тоо мэдээ ирүүлээгүй байна")
        revision = report.current
        revision.status, revision.approved_by, revision.approved_at = Status.APPROVED, by, at
        self._record("approved", org_id, by, at)
        return revision

    def correct(self, org_id: str, figures: Figures, reason: str, by: str, at: datetime) -> Revision:
        """A documented new revision of approved figures; every approved report above is re-opened."""
        report = self.report(org_id)
        if not report.approved:
            raise ApprovalError(f"{org_id} is not approved: change the draft instead",
                                f"{org_id} баталгаажаагүй тул ноорогоо засна уу")
        if not reason.strip():
            raise ApprovalError("A correction needs a reason", "Залруулгын шалтгааныг бичнэ үү", field="reason")
        revision = self._new_revision(report, dict(figures), by, at, reason.strip())
        self._record("corrected", org_id, by, at, reason)
        self._reopen_above(org_id, revision, by, at)
        return revision

    def totals(self, org_id: str) -> Figures:
        """The sum of the current figures of the units one level below."""
        total: Counter[str] = Counter()
        for child in self.children(org_id):
            if child in self.reports and self.reports[child].revisions:
                total.update(self.reports[child].current.figures)
        return dict(sorted(total.items()))

    def _refresh_total(self, report: Report, by: str, at: datetime) -> None:
        figures = self.totals(report.org_id)
        if not report.revisions:
            report.revisions.append(Revision(1, figures, by, at))
        else:
            report.current.figures = figures

    def _new_revision(self, report: Report, figures: Figures, by: str, at: datetime, reason: str) -> Revision:
        revision = Revision(report.current.number + 1, figures, by, at, reason, diff(report.current.figures, figures))
        report.revisions.append(revision)
        return revision

    def _reopen_above(self, org_id: str, cause: Revision, by: str, at: datetime) -> None:
        parent = self.parent(org_id)
        while parent is not None:
            report = self.reports.get(parent)
            if report is not None and report.approved:
                reason = f"correction of {org_id} revision {cause.number}: {cause.reason}"
                self._new_revision(report, self.totals(parent), by, at, reason)
                self._record("reopened", parent, by, at, reason)
            parent = self.parent(parent)

    def _record(self, kind: str, org_id: str, by: str, at: datetime, reason: str = "") -> None:
        number = self.reports[org_id].current.number
        self.events.append(ApprovalEvent(kind, self.census_id, org_id, number, by, at, reason))
