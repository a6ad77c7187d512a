"""Reads. Every staff read of a learner's record writes an access-log entry in the same transaction."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from education.domain import access
from education.domain.access import Actor, Role
from education.domain.admission import AdmissionApplication, ApplicationState
from education.domain.audit import AccessLogEntry, log_read
from education.domain.classes import SchoolClass
from education.domain.guardians import Guardian
from education.domain.imports import ImportJob
from education.domain.learners import Learner
from education.domain.org import OrgUnit
from education.domain.timetable import Timetable
from education.domain.transfer import Transfer
from education.service_layer.handlers.common import (
    Context,
    current_school_id,
    fetch,
    learner,
    org_unit,
    school_class,
)


@dataclass
class LearnerRecord:
    learner: Learner
    guardians: list[Guardian]
    transfers: list[Transfer]


@dataclass
class Census:
    org_id: str
    on: date
    total: int
    by_level: dict[str, int] = field(default_factory=dict)
    by_sex: dict[str, int] = field(default_factory=dict)
    by_level_and_sex: dict[tuple[str, str], int] = field(default_factory=dict)


def _audit(ctx: Context, learners: list[Learner], what: str, purpose: str) -> None:
    if ctx.actor.role is Role.PARENT:
        return  # guardians reading their own child are not staff reads
    for item in learners:
        ctx.uow.access_log.add(log_read(ctx.actor, item.id, what, purpose, ctx.clock.now()))


def _may_read_learner(actor: Actor, found: Learner, ctx: Context) -> bool:
    current = found.open_enrolment
    return access.reads_learner(actor, learner_id=found.id, school_id=current_school_id(found),
                                class_id=current.class_id if current else None, hierarchy=ctx.hierarchy(),
                                today=ctx.clock.today())


def learner_record(ctx: Context, learner_id: str, *, purpose: str, what: str = "profile") -> LearnerRecord:
    with ctx.uow:
        found = learner(ctx, learner_id)
        access.require(_may_read_learner(ctx.actor, found, ctx), "энэ суралцагчийн мэдээллийг үзэх",
                       "read this learner's record")
        _audit(ctx, [found], what, purpose)
        guardians = [g for link in found.live_links() if (g := ctx.uow.guardians.get(link.guardian_id))]
        record = LearnerRecord(found, guardians, ctx.uow.transfers.for_learner(found.id))
        ctx.uow.commit()
        return record


def class_roster(ctx: Context, class_id: str, *, as_of: date | None, purpose: str) -> tuple[SchoolClass, list[Learner]]:
    day = as_of or ctx.clock.today()
    with ctx.uow:
        target = school_class(ctx, class_id)
        access.require(access.reads_roster(ctx.actor, target, ctx.hierarchy(), ctx.clock.today()),
                       "энэ бүлгийн нэрсийг үзэх", "read this class's roster")
        members = sorted(ctx.uow.learners.in_class(class_id, day), key=lambda x: (x.family_name, x.given_name))
        _audit(ctx, members, "roster", purpose)
        ctx.uow.commit()
        return target, members


def enrolment_census(ctx: Context, org_id: str, on: date | None = None) -> Census:
    day = on or ctx.clock.today()
    with ctx.uow:
        hierarchy = ctx.hierarchy()
        org_unit(ctx, org_id)
        access.require(access.reads_org(ctx.actor, org_id, hierarchy, ctx.clock.today()),
                       "энэ нутгийн тоон мэдээг үзэх", "read this area's figures")
        schools = [u.id for u in hierarchy.institutions_within(org_id, day)]
        return _census(org_id, day, ctx.uow.learners.enrolment_counts(schools, day))


def _census(org_id: str, day: date, cells: dict[tuple[str, str], int]) -> Census:
    by_level: Counter[str] = Counter()
    by_sex: Counter[str] = Counter()
    for (level, sex), n in cells.items():
        by_level[level] += n
        by_sex[sex] += n
    return Census(org_id, day, sum(cells.values()), dict(by_level), dict(by_sex), dict(cells))


def transfer_inbox(ctx: Context, school_id: str) -> dict[str, list[Transfer]]:
    """Incoming (we must act or did) and outgoing transfers of a school, newest first."""
    with ctx.uow:
        access.require(access.reads_org(ctx.actor, school_id, ctx.hierarchy(), ctx.clock.today()),
                       "энэ сургуулийн шилжүүлгийг үзэх", "see this school's transfers")
        mine = sorted(ctx.uow.transfers.for_school(school_id), key=lambda t: t.requested_at, reverse=True)
        return {"incoming": [t for t in mine if t.to_school_id == school_id],
                "outgoing": [t for t in mine if t.from_school_id == school_id]}


def escalated_transfers(ctx: Context) -> list[Transfer]:
    """Open transfers escalated to a department in the officer's area."""
    with ctx.uow:
        hierarchy, today = ctx.hierarchy(), ctx.clock.today()
        return [t for t in ctx.uow.transfers.open()
                if t.escalated_to_id and access.acts_on_transfer(ctx.actor, t, hierarchy, today)
                and not access.manages_school(ctx.actor, t.acting_school_id or "")]


def access_log(ctx: Context, learner_id: str) -> list[AccessLogEntry]:
    """Who read the learner's record: for the school, the officers above it, and the learner's guardians."""
    with ctx.uow:
        found = learner(ctx, learner_id)
        allowed = (ctx.actor.role is not Role.TEACHER and _may_read_learner(ctx.actor, found, ctx))
        access.require(allowed, "энэ суралцагчийн хандалтын бүртгэлийг үзэх", "see this learner's access log")
        return sorted(ctx.uow.access_log.for_learner(learner_id), key=lambda e: e.at, reverse=True)


def admission_queue(ctx: Context, school_id: str, state: ApplicationState | None = None) -> list[AdmissionApplication]:
    with ctx.uow:
        access.require(access.reads_org(ctx.actor, school_id, ctx.hierarchy(), ctx.clock.today()),
                       "энэ сургуулийн элсэлтийг үзэх", "see this school's admissions")
        return sorted(ctx.uow.applications.for_school(school_id, state), key=lambda a: a.submitted_on)


def school_classes(ctx: Context, school_id: str, year_id: str | None = None) -> list[SchoolClass]:
    with ctx.uow:
        access.require(access.reads_org(ctx.actor, school_id, ctx.hierarchy(), ctx.clock.today()),
                       "энэ сургуулийн бүлгүүдийг үзэх", "see this school's classes")
        return sorted(ctx.uow.classes.for_school(school_id, year_id), key=lambda c: (c.year_id, c.name))


def timetable(ctx: Context, class_id: str) -> Timetable | None:
    with ctx.uow:
        target = school_class(ctx, class_id)
        access.require(access.reads_roster(ctx.actor, target, ctx.hierarchy(), ctx.clock.today()),
                       "энэ бүлгийн хуваарийг үзэх", "see this class's timetable")
        return ctx.uow.timetables.get(class_id)


def published_timetable(ctx: Context, class_id: str) -> tuple[SchoolClass, Timetable | None]:
    """The class and its timetable (None before the first save), for other services: they read its
    ``published_lessons()``, the week as last published, never the draft."""
    with ctx.uow:
        target = school_class(ctx, class_id)
        access.require(access.reads_roster(ctx.actor, target, ctx.hierarchy(), ctx.clock.today()),
                       "энэ бүлгийн хуваарийг үзэх", "see this class's timetable")
        return target, ctx.uow.timetables.get(class_id)


def org_children(ctx: Context, unit_id: str, as_of: date | None = None) -> tuple[OrgUnit, list[OrgUnit]]:
    """The hierarchy is public reference data (names and codes of units)."""
    with ctx.uow:
        unit = org_unit(ctx, unit_id)
        children = ctx.hierarchy().children(unit_id, as_of or ctx.clock.today())
        return unit, sorted(children, key=lambda u: u.code)


def import_job(ctx: Context, job_id: str) -> ImportJob:
    """An import's state, progress and row-error report: for the school's administrators."""
    with ctx.uow:
        job = fetch(ctx.uow.import_jobs, job_id, "Импорт", "Import")
        access.require(access.manages_school(ctx.actor, job.school_id), "энэ импортыг үзэх", "see this import")
        return job


def import_jobs(ctx: Context, school_id: str) -> list[ImportJob]:
    with ctx.uow:
        access.require(access.manages_school(ctx.actor, school_id), "энэ сургуулийн импортыг үзэх",
                       "see this school's imports")
        return ctx.uow.import_jobs.for_school(school_id)
