"""Teaching assignments: who teaches which subject to which class, for which days of a school year."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from hr.domain.directory import ClassInfo
from hr.domain.errors import Conflict, InvalidInput, NotFound
from hr.domain.events import Event, TeachingAssigned, TeachingUnassigned
from hr.domain.kinds import UnassignReason
from hr.domain.values import Period, SchoolYear

MAX_WEEKLY_HOURS = 40
Describe = Callable[[str], str]


@dataclass
class TeachingAssignment:
    id: str
    staff_id: str
    class_id: str
    org_id: str
    subject_code: str
    school_year: SchoolYear
    weekly_hours: int
    period: Period
    end_reason: UnassignReason | None = None
    cancelled: bool = False

    def active_on(self, day: date) -> bool:
        return not self.cancelled and self.period.contains(day)

    def overlaps(self, period: Period) -> bool:
        return not self.cancelled and self.period.overlaps(period)


@dataclass
class ClassTeaching:
    """Every assignment of one class in one school year: the boundary inside which overlaps are refused."""

    class_id: str
    org_id: str
    school_year: SchoolYear
    assignments: list[TeachingAssignment] = field(default_factory=list)
    version: int = 0
    events: list[Event] = field(default_factory=list, repr=False, compare=False)

    def assign(self, assignment_id: str, staff_id: str, subject_code: str, weekly_hours: int, period: Period,
               *, describe: Describe = str) -> TeachingAssignment:
        self._check_hours(weekly_hours)
        self._check_within_year(period)
        self._refuse_overlap(subject_code, period, describe)
        assignment = TeachingAssignment(assignment_id, staff_id, self.class_id, self.org_id, subject_code,
                                        self.school_year, weekly_hours, period)
        self.assignments.append(assignment)
        self.version += 1
        self.events.append(TeachingAssigned(assignment_id, staff_id, self.class_id, self.org_id, subject_code,
                                            self.school_year.label, weekly_hours, period.start, period.last_day))
        return assignment

    def unassign(self, assignment_id: str, last_day: date, reason: UnassignReason) -> TeachingAssignment:
        assignment = self.get(assignment_id)
        current_last = assignment.period.last_day
        if assignment.cancelled or (current_last is not None and current_last <= last_day):
            raise Conflict("assignment_already_ended", f"Хуваарилалт {current_last}-нд дуусахаар байна.",
                           f"The assignment already ends on {current_last}.", field="last_day")
        if last_day < assignment.period.start:  # it never started: withdrawn, not shortened
            assignment.cancelled, last_day = True, assignment.period.start - timedelta(days=1)
        else:
            assignment.period = Period.through(assignment.period.start, last_day)
        assignment.end_reason = reason
        self.version += 1
        self.events.append(TeachingUnassigned(assignment.id, assignment.staff_id, self.class_id, self.org_id,
                                              assignment.subject_code, self.school_year.label, last_day, reason.value))
        return assignment

    def get(self, assignment_id: str) -> TeachingAssignment:
        found = next((a for a in self.assignments if a.id == assignment_id), None)
        if found is None:
            raise NotFound("assignment_not_found", f"Хичээлийн хуваарилалт олдсонгүй ({assignment_id}).",
                           f"Teaching assignment not found ({assignment_id}).", details={"id": assignment_id})
        return found

    def active_on(self, day: date) -> list[TeachingAssignment]:
        return [a for a in self.assignments if a.active_on(day)]

    def open_for_staff(self, staff_id: str, after: date) -> list[TeachingAssignment]:
        """Assignments of ``staff_id`` still running on the day after ``after``."""
        return [a for a in self.assignments if a.staff_id == staff_id and not a.cancelled
                and (a.period.end is None or a.period.end > after + timedelta(days=1))]

    def _check_hours(self, hours: int) -> None:
        if not 1 <= hours <= MAX_WEEKLY_HOURS:
            raise InvalidInput("weekly_hours_range", f"Долоо хоногийн цаг ({hours}) 1-{MAX_WEEKLY_HOURS} байна.",
                               f"Weekly hours ({hours}) must be 1-{MAX_WEEKLY_HOURS}.", field="weekly_hours")

    def _check_within_year(self, period: Period) -> None:
        year = self.school_year.envelope
        if not period.within(year):
            raise InvalidInput("outside_school_year", f"Огноо {self.school_year} хичээлийн жилд ({year.start} – "
                               f"{year.last_day}) багтахгүй байна.", f"The dates fall outside school year "
                               f"{self.school_year} ({year.start} – {year.last_day}).", field="start_date")

    def _refuse_overlap(self, subject_code: str, period: Period, describe: Describe) -> None:
        clash = next((a for a in self.assignments if a.subject_code == subject_code and a.overlaps(period)), None)
        if clash is None:
            return
        who, until = describe(clash.staff_id), clash.period.last_day or "…"
        raise Conflict("assignment_overlap", f"Энэ ангийн \"{subject_code}\" хичээлийг {clash.period.start} – {until} "
                       f"хооронд {who} заахаар хуваарилсан байна; эхлээд тэр хуваарилалтыг дуусгана уу.",
                       f"Subject \"{subject_code}\" of this class is already assigned to {who} from "
                       f"{clash.period.start} to {until}; end that assignment first.", field="subject_code",
                       details={"assignment_id": clash.id, "staff_id": clash.staff_id,
                                "start_date": clash.period.start.isoformat(),
                                "last_day": clash.period.last_day.isoformat() if clash.period.last_day else None})


def assignment_period(year: SchoolYear, start: date | None, last_day: date | None) -> Period:
    """Defaults to the whole school year, from ``start`` if given."""
    envelope = year.envelope
    return Period(start or envelope.start, envelope.end if last_day is None else last_day + timedelta(days=1))


@dataclass(frozen=True)
class Gap:
    subject_code: str
    planned_hours: int


def uncovered_subjects(info: ClassInfo, assignments: Iterable[TeachingAssignment], day: date) -> list[Gap]:
    """Subjects of a class's curriculum with nobody assigned on ``day``."""
    covered = {a.subject_code for a in assignments if a.active_on(day)}
    return [Gap(code, hours) for code, hours in sorted(info.subject_hours.items()) if code not in covered]


@dataclass(frozen=True)
class Workload:
    staff_id: str
    weekly_hours: int
    norm_hours: Decimal

    @property
    def over_norm(self) -> bool:
        return self.weekly_hours > self.norm_hours


def workload_on(staff_id: str, assignments: Iterable[TeachingAssignment], day: date, *, norm_per_fte: int,
                fte: Decimal) -> Workload:
    """Weekly hours taught on ``day`` against the norm scaled by the teacher's FTE."""
    hours = sum(a.weekly_hours for a in assignments if a.staff_id == staff_id and a.active_on(day))
    share = min(fte, Decimal(1)) if fte > 0 else Decimal(1)  # not (yet) in a teaching post: the full norm
    return Workload(staff_id, hours, (Decimal(norm_per_fte) * share).quantize(Decimal("0.1")))
