"""Approval commands: load the census's reports, apply the domain rule, save, stage the events — one transaction."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from esis_shared.auth import Principal
from esis_shared.outbox import stage_event
from sqlalchemy.orm import Session

from stats.adapters import approvals as store
from stats.adapters.messages import TOPIC, to_message
from stats.domain import access
from stats.domain.approval import ApprovalBook, Figures, Revision
from stats.domain.errors import NotPermitted
from stats.domain.hierarchy import NATIONAL
from stats.service_layer.figures import World, load_world

SOURCE = "stats"


@dataclass(frozen=True)
class Census:
    census_id: str  # "2024-2025"

    @property
    def year(self) -> int:
        return int(self.census_id[:4])


def school_figures(world: World, org_id: str, year: int) -> Figures:
    """What a school reports: learners on the census day by grade and sex (``enrolled.<grade>.<sex>``)."""
    counts: Counter[str] = Counter()
    for (_, grade, sex, _), n in world.counts(org_id, year).items():
        counts[f"enrolled.{grade}.{sex or 'unknown'}"] += n
    return dict(sorted(counts.items()))


def _book(session: Session, world: World, census: Census) -> ApprovalBook:
    day = world.census_day(census.year)

    def parent(org_id: str) -> str | None:
        level = access.level_of(world.hierarchy, org_id)
        if level == NATIONAL:
            return None
        if level == "aimag":
            return NATIONAL
        return world.hierarchy.get(org_id).parent_id(day)  # type: ignore[union-attr]

    def children(org_id: str) -> list[str]:
        if access.level_of(world.hierarchy, org_id) == "school":
            return []
        return world.hierarchy.reporting_children(org_id, day)

    return ApprovalBook(census.census_id, children, parent, store.load_reports(session, census.census_id))


def _check(principal: Principal, world: World, org_id: str, census: Census) -> None:
    if not access.may_approve(principal, world.hierarchy, org_id, world.census_day(census.year)):
        raise NotPermitted(f"Your role or scope cannot approve the figures of {org_id}",
                           f"Танд {org_id}-ийн тоо мэдээг батлах эрх байхгүй", org_id=org_id)


def _finish(session: Session, world: World, book: ApprovalBook, census: Census) -> None:
    store.save_reports(session, census.census_id, book.reports.values())
    day = world.census_day(census.year)
    for event in book.events:
        revision = next(r for r in book.reports[event.org_id].revisions if r.number == event.revision)
        aimag = world.hierarchy.aimag_code(event.org_id, day) if event.org_id != NATIONAL else None
        message = to_message(event, revision, access.level_of(world.hierarchy, event.org_id), aimag)
        stage_event(session, topic=TOPIC, key=f"{census.census_id}/{event.org_id}", message=message, source=SOURCE,
                    aimag=aimag)


Action = Callable[[ApprovalBook, World], Revision]


def run(session: Session, principal: Principal, census: Census, org_id: str, action: Action) -> Revision:
    world = load_world(session)
    _check(principal, world, org_id, census)
    book = _book(session, world, census)
    revision = action(book, world)
    _finish(session, world, book, census)
    return revision


def submit(session: Session, principal: Principal, census: Census, org_id: str, now: datetime) -> Revision:
    return run(session, principal, census, org_id, lambda book, world: book.submit(
        org_id, school_figures(world, org_id, census.year), principal.subject, now))


def approve(session: Session, principal: Principal, census: Census, org_id: str, now: datetime) -> Revision:
    return run(session, principal, census, org_id, lambda book, _: book.approve(org_id, principal.subject, now))


def correct(session: Session, principal: Principal, census: Census, org_id: str, figures: Figures, reason: str,
            now: datetime) -> Revision:
    return run(session, principal, census, org_id,
               lambda book, _: book.correct(org_id, figures, reason, principal.subject, now))


def status(session: Session, census: Census, org_id: str) -> list[Revision]:
    report = store.load_reports(session, census.census_id).get(org_id)
    return report.revisions if report else []
