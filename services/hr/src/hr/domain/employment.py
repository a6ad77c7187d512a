"""Effective-dated employment history: appointments (one position for a stretch of days) and leaves."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from hr.domain.errors import Conflict, InvalidInput
from hr.domain.kinds import EndReason, ExitReason, LeaveKind, PositionKind
from hr.domain.positions import peak_load
from hr.domain.values import Period


@dataclass
class Appointment:
    """One stretch in one position of one organisation; a change of position or a transfer starts a new one."""

    id: str
    org_id: str
    position_id: str
    kind: PositionKind
    fte: Decimal
    period: Period
    end_reason: EndReason | None = None
    exit_reason: ExitReason | None = None

    def is_open(self) -> bool:
        return self.period.is_open()


@dataclass
class Leave:
    id: str
    kind: LeaveKind
    period: Period
    expected_last_day: date | None = None


@dataclass
class EmploymentHistory:
    """Every appointment and leave a staff member ever had; nothing is deleted, periods are closed."""

    appointments: list[Appointment] = field(default_factory=list)
    leaves: list[Leave] = field(default_factory=list)

    def active_on(self, day: date) -> list[Appointment]:
        return [a for a in self.appointments if a.period.contains(day)]

    def org_ids_on(self, day: date) -> tuple[str, ...]:
        return tuple(sorted({a.org_id for a in self.active_on(day)}))

    def org_ids_from(self, day: date) -> tuple[str, ...]:
        """Orgs where an appointment runs on ``day`` or starts later: whose admins manage this person now."""
        return tuple(sorted({a.org_id for a in self.appointments if a.period.end is None or a.period.end > day}))

    def fte_on(self, day: date, kinds: frozenset[PositionKind] | None = None) -> Decimal:
        return sum((a.fte for a in self.active_on(day) if kinds is None or a.kind in kinds), Decimal(0))

    def employed_at(self, org_id: str, period: Period) -> bool:
        """Whether some appointment at ``org_id`` covers the first day of ``period``."""
        return any(a.org_id == org_id for a in self.active_on(period.start))

    def leave_on(self, day: date) -> Leave | None:
        return next((lv for lv in self.leaves if lv.period.contains(day)), None)

    def open_appointment(self, appointment_id: str) -> Appointment:
        found = next((a for a in self.appointments if a.id == appointment_id), None)
        if found is None or not found.is_open():
            raise Conflict("appointment_not_open", f"Томилолт {appointment_id} идэвхтэй биш (дууссан эсвэл алга).",
                           f"Appointment {appointment_id} is not current (ended or unknown).",
                           field="appointment_id", details={"appointment_id": appointment_id})
        return found

    def add(self, appointment: Appointment, *, max_total_fte: Decimal) -> None:
        self._refuse_same_position(appointment)
        total = peak_load(((a.fte, a.period) for a in self.appointments), appointment.period) + appointment.fte
        if total > max_total_fte:
            raise Conflict("fte_over_limit", f"Нийт ачаалал {total} орон тоо болж, дээд хэмжээ {max_total_fte}-оос "
                           "хэтэрнэ.", f"Total FTE would be {total}, above the limit of {max_total_fte}.",
                           field="fte", details={"total_fte": str(total), "limit": str(max_total_fte)})
        self.appointments.append(appointment)

    def close(self, appointment: Appointment, end: date, reason: EndReason, exit_reason: ExitReason | None = None,
              ) -> None:
        if end <= appointment.period.start:
            raise InvalidInput("change_before_start", f"Өөрчлөлтийн огноо ({end}) томилогдсон огнооноос "
                               f"({appointment.period.start}) хойш байх ёстой.", f"The change date ({end}) must be "
                               f"after the appointment started ({appointment.period.start}).", field="effective_date")
        appointment.period = appointment.period.closed_at(end)
        appointment.end_reason, appointment.exit_reason = reason, exit_reason

    def start_leave(self, leave: Leave) -> None:
        if not self.active_on(leave.period.start):
            raise Conflict("leave_not_employed", f"{leave.period.start}-нд ажилд байгаагүй тул чөлөө олгох боломжгүй.",
                           f"Not employed on {leave.period.start}, so no leave can start then.", field="start_date")
        clash = next((lv for lv in self.leaves if lv.period.overlaps(leave.period)), None)
        if clash is not None:
            raise Conflict("leave_overlap", f"{clash.period.start}-с эхэлсэн {clash.kind.label()} давхцаж байна.",
                           f"It overlaps the {clash.kind.label('en')} that started on {clash.period.start}.",
                           field="start_date", details={"leave_id": clash.id})
        self.leaves.append(leave)

    def end_leave(self, leave_id: str, last_day: date) -> Leave:
        leave = next((lv for lv in self.leaves if lv.id == leave_id and lv.period.is_open()), None)
        if leave is None:
            raise Conflict("leave_not_open", f"Чөлөө {leave_id} идэвхтэй биш.", f"Leave {leave_id} is not current.",
                           field="leave_id")
        leave.period = Period.through(leave.period.start, last_day)
        return leave

    def open_leave_through(self, day: date) -> Leave | None:
        """The leave that started by ``day`` and has no end yet."""
        return next((lv for lv in self.leaves if lv.period.is_open() and lv.period.start <= day), None)

    def _refuse_same_position(self, appointment: Appointment) -> None:
        for held in self.appointments:
            if held.position_id == appointment.position_id and held.period.overlaps(appointment.period):
                raise Conflict("already_in_position", f"Энэ албан тушаалд {held.period.start}-с хойш томилогдсон "
                               "байна.", f"Already holds this position since {held.period.start}.",
                               field="position_id", details={"appointment_id": held.id})
