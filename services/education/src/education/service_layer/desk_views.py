"""Reads behind the school office pages: classes with head counts, the admission desk and the transfer desk.

A desk shows the names a person needs to decide; those reads are written to the access log with the desk as the
purpose, like every other staff read of a learner.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from education.domain import access
from education.domain.admission import DECIDABLE, AdmissionApplication
from education.domain.audit import log_read
from education.domain.calendar import SchoolYear
from education.domain.classes import SchoolClass
from education.domain.curriculum import Subject
from education.domain.errors import Warning_
from education.domain.learners import Learner
from education.domain.transfer import Transfer
from education.service_layer.handlers.common import Context, school_class

ADMISSION_PURPOSE = "Элсэлтийн өргөдөл шийдвэрлэх"
TRANSFER_PURPOSE = "Шилжүүлэг шийдвэрлэх"


@dataclass(frozen=True)
class ClassLine:
    school_class: SchoolClass
    enrolled: int


@dataclass(frozen=True)
class Applicant:
    application: AdmissionApplication
    learner: Learner
    warnings: list[Warning_]


@dataclass(frozen=True)
class TransferLine:
    transfer: Transfer
    learner_name: str
    birth_date: date
    from_name: str
    to_name: str


def _require_reads(ctx: Context, school_id: str, action_mn: str, action_en: str) -> None:
    access.require(access.reads_org(ctx.actor, school_id, ctx.hierarchy(), ctx.clock.today()), action_mn, action_en)


def _audit(ctx: Context, learner_ids: Iterable[str], what: str, purpose: str) -> None:
    for learner_id in set(learner_ids):
        ctx.uow.access_log.add(log_read(ctx.actor, learner_id, what, purpose, ctx.clock.now()))


def class_overview(ctx: Context, school_id: str, year_id: str | None) -> list[ClassLine]:
    with ctx.uow:
        _require_reads(ctx, school_id, "энэ сургуулийн бүлгүүдийг үзэх", "see this school's classes")
        found = ctx.uow.classes.for_school(school_id, year_id)
        counts = ctx.uow.learners.counts_by_class([c.id for c in found], ctx.clock.today())
        return [ClassLine(c, counts.get(c.id, 0)) for c in sorted(found, key=lambda c: (c.level.entry_age, c.name))]


def teacher_classes(ctx: Context) -> list[ClassLine]:
    """A teacher's own classes (from the sign-in's class scopes)."""
    with ctx.uow:
        found = [c for class_id in sorted(ctx.actor.class_ids) if (c := ctx.uow.classes.get(class_id))]
        counts = ctx.uow.learners.counts_by_class([c.id for c in found], ctx.clock.today())
        return [ClassLine(c, counts.get(c.id, 0)) for c in found]


def admission_desk(ctx: Context, school_id: str) -> list[Applicant]:
    """The school's applications, open ones first, each with the warnings an approval must override."""
    with ctx.uow:
        _require_reads(ctx, school_id, "энэ сургуулийн элсэлтийг үзэх", "see this school's admissions")
        school = ctx.uow.org_units.get(school_id)
        applications = ctx.uow.applications.for_school(school_id)
        people = {a.learner_id: ctx.uow.learners.get(a.learner_id) for a in applications}
        found = [Applicant(a, people[a.learner_id], a.warnings(people[a.learner_id], school)
                           if a.state in DECIDABLE and school else [])
                 for a in applications if people[a.learner_id] is not None]
        _audit(ctx, people, "admission_desk", ADMISSION_PURPOSE)
        ctx.uow.commit()
        return sorted(found, key=lambda x: (x.application.state not in DECIDABLE, x.application.submitted_on))


def transfer_desk(ctx: Context, school_id: str) -> dict[str, list[TransferLine]]:
    """Incoming and outgoing transfers of a school, newest first, with the learner's name and birth date."""
    with ctx.uow:
        _require_reads(ctx, school_id, "энэ сургуулийн шилжүүлгийг үзэх", "see this school's transfers")
        mine = sorted(ctx.uow.transfers.for_school(school_id), key=lambda t: t.requested_at, reverse=True)
        lines = [_line(ctx, t) for t in mine]
        _audit(ctx, (t.learner_id for t in mine), "transfer_desk", TRANSFER_PURPOSE)
        ctx.uow.commit()
        return {"incoming": [x for x in lines if x.transfer.to_school_id == school_id],
                "outgoing": [x for x in lines if x.transfer.from_school_id == school_id]}


def _line(ctx: Context, transfer: Transfer) -> TransferLine:
    learner = ctx.uow.learners.get(transfer.learner_id)
    assert learner is not None, "a transfer always names a registered learner"
    names = org_names(ctx, [transfer.from_school_id, transfer.to_school_id], in_transaction=True)
    return TransferLine(transfer, f"{learner.family_name} {learner.given_name}", learner.birth_date,
                        names[transfer.from_school_id], names[transfer.to_school_id])


def org_names(ctx: Context, ids: Iterable[str], *, in_transaction: bool = False) -> dict[str, str]:
    """Organisation names by id (public reference data); an unknown id names itself."""
    def read() -> dict[str, str]:
        return {i: (unit.name_mn if (unit := ctx.uow.org_units.get(i)) else i) for i in ids}

    if in_transaction:
        return read()
    with ctx.uow:
        return read()


def class_names(ctx: Context, ids: Iterable[str]) -> dict[str, str]:
    with ctx.uow:
        return {i: (c.name if (c := ctx.uow.classes.get(i)) else i) for i in ids}


def class_for_page(ctx: Context, class_id: str) -> SchoolClass:
    """The class, for whoever may see its roster (the timetable page and the purpose prompt)."""
    with ctx.uow:
        target = school_class(ctx, class_id)
        access.require(access.reads_roster(ctx.actor, target, ctx.hierarchy(), ctx.clock.today()),
                       "энэ бүлгийг үзэх", "see this class")
        return target


def subjects(ctx: Context) -> list[Subject]:
    with ctx.uow:
        return ctx.uow.subjects.all()


def school_years(ctx: Context) -> list[SchoolYear]:
    with ctx.uow:
        return ctx.uow.school_years.all()


def current_year(years: list[SchoolYear], today: date) -> SchoolYear | None:
    """The year running today, else the latest one that has started, else the first."""
    running = [y for y in years if y.starts_on <= today <= y.ends_on]
    started = [y for y in years if y.starts_on <= today]
    return (running or started[-1:] or years[:1] or [None])[0]
