"""Persistence of approval reports: one row per revision; approved revisions are never rewritten."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from stats.adapters.orm import report_revisions
from stats.domain.approval import Change, Report, Revision, Status


def _revision(row: object) -> Revision:
    changes = tuple(Change(c["key"], c["before"], c["after"]) for c in row.changes)  # type: ignore[attr-defined]
    return Revision(row.number, dict(row.figures), row.created_by, row.created_at, row.reason, changes,  # type: ignore[attr-defined]
                    Status(row.status), row.approved_by, row.approved_at)  # type: ignore[attr-defined]


def load_reports(session: Session, census_id: str) -> dict[str, Report]:
    rows = session.execute(select(report_revisions).where(report_revisions.c.census_id == census_id)
                           .order_by(report_revisions.c.org_id, report_revisions.c.number))
    reports: dict[str, Report] = {}
    for row in rows:
        reports.setdefault(row.org_id, Report(row.org_id)).revisions.append(_revision(row))
    return reports


def save_reports(session: Session, census_id: str, reports: Iterable[Report]) -> None:
    """Write every draft revision and any revision not stored yet; approved rows already stored stay as they are."""
    for report in reports:
        stored = {r.number: r.status for r in load_reports_of(session, census_id, report.org_id)}
        for revision in report.revisions:
            if stored.get(revision.number) == Status.APPROVED.value:
                continue
            key = (report_revisions.c.census_id == census_id, report_revisions.c.org_id == report.org_id,
                   report_revisions.c.number == revision.number)
            session.execute(delete(report_revisions).where(*key))
            session.execute(insert(report_revisions).values(
                census_id=census_id, org_id=report.org_id, number=revision.number, figures=revision.figures,
                status=revision.status.value, created_by=revision.created_by, created_at=revision.created_at,
                reason=revision.reason, changes=[vars(c) for c in revision.changes],
                approved_by=revision.approved_by, approved_at=revision.approved_at))


def load_reports_of(session: Session, census_id: str, org_id: str) -> list[object]:
    return list(session.execute(select(report_revisions.c.number, report_revisions.c.status).where(
        report_revisions.c.census_id == census_id, report_revisions.c.org_id == org_id)))
