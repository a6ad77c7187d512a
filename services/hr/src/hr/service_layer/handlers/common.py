"""What every handler needs: the context (reference data, policy, clock, ids) and loaders that fail clearly."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import Decimal

from hr.domain.directory import ClassInfo
from hr.domain.errors import not_found
from hr.domain.positions import Position
from hr.domain.ranks import RankCatalogue
from hr.domain.staff import StaffMember
from hr.service_layer.unit_of_work import AbstractUnitOfWork


@dataclass(frozen=True)
class Policy:
    """Rules that are configuration, not code (see the service README for their sources)."""

    workload_norm_hours: int = 19
    max_total_fte: Decimal = Decimal("1.5")


def _new_id() -> str:
    return str(uuid.uuid4())


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True)
class Context:
    ranks: RankCatalogue
    policy: Policy = field(default_factory=Policy)
    now: Callable[[], datetime] = _now
    new_id: Callable[[], str] = _new_id

    def today(self) -> date:
        return self.now().date()


def load_staff(uow: AbstractUnitOfWork, staff_id: str) -> StaffMember:
    staff = uow.staff.get(staff_id)
    if staff is None:
        raise not_found("Ажилтан", "Staff member", staff_id, code="staff_not_found")
    return staff


def load_position(uow: AbstractUnitOfWork, position_id: str) -> Position:
    position = uow.positions.get(position_id)
    if position is None:
        raise not_found("Орон тоо", "Position", position_id, code="position_not_found")
    return position


def load_class(uow: AbstractUnitOfWork, class_id: str) -> ClassInfo:
    info = uow.directory.class_info(class_id)
    if info is None:
        raise not_found("Анги (бүлэг)", "Class", class_id, code="class_not_found")
    return info
