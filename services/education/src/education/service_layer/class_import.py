"""The rules of a class-list import: one row is a learner, the class they are in and (optionally) a guardian.

Every row is checked and every problem reported with the row and the column. A learner already on record here
(same register number, names and birth date) is not registered again, an enrolment already in place is left
alone and a guardian already linked (same name and phone) is not added twice: importing the same file twice
creates nothing new. Nothing here commits; the handler decides whether the whole file goes in.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from education.domain.base import new_id
from education.domain.classes import SchoolClass
from education.domain.errors import Conflict, DomainError, Invalid
from education.domain.guardians import Guardian
from education.domain.imports import ImportJob, ImportRow, ImportSummary, RowError
from education.domain.learners import Learner
from education.domain.people import same_name
from education.service_layer.handlers.common import Context, current_school_id
from education.service_layer.import_rows import GuardianRow, LearnerRow, RowProblems, class_key, parse_row

PROGRESS_EVERY = 25
Progress = Callable[[int], None]


@dataclass
class Importer:
    """Applies the rows of one file to the unit of work, remembering what earlier rows did."""

    ctx: Context
    school_id: str
    on: date
    classes: dict[str, SchoolClass]
    summary: ImportSummary = field(default_factory=ImportSummary)
    numbers: dict[str, int] = field(default_factory=dict)  # register number -> first row
    people: dict[tuple[str, str, date], int] = field(default_factory=dict)  # names + birth date -> first row
    guardians: dict[tuple[str, str, str], Guardian] = field(default_factory=dict)
    seats: dict[str, int] = field(default_factory=dict)  # class id -> learners in it after the rows so far

    @classmethod
    def for_job(cls, ctx: Context, job: ImportJob) -> Importer:
        classes = ctx.uow.classes.for_school(job.school_id, job.year_id)
        return cls(ctx, job.school_id, job.enrol_on, {class_key(c.name): c for c in classes})

    def take(self, row: ImportRow) -> list[RowError]:
        """The row's problems (empty when it was applied)."""
        before = self._created()
        try:
            self.apply(parse_row(row, self.ctx.clock.today()))
        except RowProblems as problems:
            return problems.errors + self._class_problems(row)
        except DomainError as exc:
            return [RowError.of(row.row, exc.field or "", exc)]
        if self._created() == before:
            self.summary.rows_unchanged += 1
        return []

    def _class_problems(self, row: ImportRow) -> list[RowError]:
        name = row.get("class_name")
        if not name or class_key(name) in self.classes:
            return []
        return [RowError.of(row.row, "class_name", self._unknown_class(name))]

    def _created(self) -> int:
        s = self.summary
        return s.learners_created + s.guardians_created + s.enrolments_created

    def apply(self, parsed: LearnerRow) -> None:
        target = self._class(parsed)
        self._check_repeats(parsed)
        found = self.ctx.uow.learners.by_register_number(parsed.register_number)
        learner = self._existing(parsed, found, target) if found else self._register(parsed)
        if parsed.guardian is not None:
            self._link_guardian(learner, parsed.guardian, known=found is not None)
        if learner.open_enrolment is None:
            self._enrol(learner, target)

    def _class(self, parsed: LearnerRow) -> SchoolClass:
        target = self.classes.get(parsed.class_key)
        if target is None:
            raise self._unknown_class(parsed.class_name)
        return target

    def _unknown_class(self, name: str) -> Invalid:
        known = ", ".join(sorted(c.name for c in self.classes.values())) or "—"
        return Invalid(f"'{name}' бүлэг энэ хичээлийн жилд алга (байгаа бүлгүүд: {known}); эхлээд бүлгээ нээнэ үү.",
                       f"There is no class '{name}' this school year (classes: {known}); open the class first.",
                       code="import_class_unknown", field="class_name")

    def _check_repeats(self, parsed: LearnerRow) -> None:
        first = self.numbers.setdefault(parsed.register_number, parsed.row)
        if first != parsed.row:
            raise Invalid(f"Энэ регистрийн дугаар {first}-р мөрөнд бас байна.",
                          f"This register number is also on row {first}.", code="import_repeated_register_number",
                          field="register_number")

    def _existing(self, parsed: LearnerRow, found: Learner, target: SchoolClass) -> Learner:
        if not (same_name(found.family_name, parsed.family_name) and same_name(found.given_name, parsed.given_name)
                and found.birth_date == parsed.birth_date):
            raise Conflict("Энэ регистрийн дугаартай суралцагч өөр овог нэр, төрсөн огноотойгоор бүртгэлтэй байна.",
                           "A learner with this register number is recorded with other names or birth date.",
                           code="import_learner_differs", field="register_number")
        if current_school_id(found) != self.school_id:
            raise Conflict("Суралцагч өөр сургуульд бүртгэлтэй; шилжүүлгийн хүсэлт гаргана уу.",
                           "The learner belongs to another school; request a transfer instead.",
                           code="import_learner_elsewhere", field="register_number")
        current = found.open_enrolment
        if current is not None and current.class_id != target.id:
            other = self.ctx.uow.classes.get(current.class_id)
            name = other.name if other else current.class_id
            raise Conflict(f"Суралцагч {name} бүлэгт суралцаж байна; бүлэг солих үйлдлийг ашиглана уу.",
                           f"The learner is in class {name}; use a class move.", code="import_learner_in_other_class",
                           field="class_name")
        self.summary.learners_existing += 1
        return found

    def _register(self, parsed: LearnerRow) -> Learner:
        twin = (parsed.family_name.casefold(), parsed.given_name.casefold(), parsed.birth_date)
        first = self.people.setdefault(twin, parsed.row)
        if first != parsed.row or self.ctx.uow.learners.by_names(*twin):
            raise Conflict("Ижил овог, нэр, төрсөн огноотой суралцагч бүртгэлтэй байна; энэ суралцагчийг шалгаад "
                           "дангаар нь бүртгэнэ үү.", "A learner with the same names and birth date is already "
                           "registered; check and register this learner on their own.",
                           code="import_possible_duplicate", field="given_name")
        learner = Learner.register(
            id=new_id(), register_number=parsed.register_number, family_name=parsed.family_name,
            given_name=parsed.given_name, birth_date=parsed.birth_date, sex=parsed.sex, school_id=self.school_id,
            today=self.ctx.clock.today(), address=parsed.address, area_code=parsed.area_code,
            special_needs=parsed.special_needs)
        self.ctx.uow.learners.add(learner)
        self.summary.learners_created += 1
        return learner

    def _link_guardian(self, learner: Learner, row: GuardianRow, *, known: bool) -> None:
        if known and self._already_linked(learner, row):
            return
        key = (row.family_name.casefold(), row.given_name.casefold(), row.phone)
        guardian = self.guardians.get(key)
        if guardian is None:
            guardian = self.guardians[key] = Guardian.create(
                id=new_id(), family_name=row.family_name, given_name=row.given_name, phone=row.phone,
                school_id=self.school_id, email=row.email, register_number=row.register_number)
            self.ctx.uow.guardians.add(guardian)
            self.summary.guardians_created += 1
        learner.link_guardian(guardian, row.relationship, self.school_id)

    def _already_linked(self, learner: Learner, row: GuardianRow) -> bool:
        linked = (self.ctx.uow.guardians.get(link.guardian_id) for link in learner.live_links())
        return any(g is not None and g.matches_claim(given_name=row.given_name, phone=row.phone) for g in linked)

    def _enrol(self, learner: Learner, target: SchoolClass) -> None:
        if target.id not in self.seats:
            self.seats[target.id] = len(self.ctx.uow.learners.in_class(target.id, self.on))
        try:
            target.take_seat(self.seats[target.id])
        except Conflict as exc:
            exc.field = "class_name"
            raise
        learner.enrol(target, self.on)  # an admission by list: the event contract knows admission and transfer
        self.seats[target.id] += 1
        self.summary.enrolments_created += 1


def check_rows(ctx: Context, job: ImportJob, progress: Progress) -> tuple[ImportSummary, list[RowError]]:
    """Apply every row of ``job`` to ``ctx.uow`` (uncommitted); returns the summary and every row's problems."""
    importer = Importer.for_job(ctx, job)
    errors: list[RowError] = []
    for done, row in enumerate(job.rows, start=1):
        errors.extend(importer.take(row))
        if done % PROGRESS_EVERY == 0:
            progress(done)
    return importer.summary, errors
