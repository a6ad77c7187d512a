"""What the service layer needs from the outside world, as protocols the adapters (and test fakes) implement."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from parent.domain.growth import GrowthStandard
from parent.domain.guardians import Claim, ThrottlePolicy
from parent.domain.receipts import AccessEntry
from parent.domain.school import Child, Lesson, StaffContact
from parent.service_layer.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class ClaimMatch:
    learner_id: str
    guardian_id: str
    relationship: str


class Education(Protocol):
    """The education service (gRPC): claims and the learner's card. Raises ``Unavailable`` when down."""

    def verify_claim(self, claim: Claim, account_id: str) -> ClaimMatch | None:
        """The match, or None when the claim matches no guardian the school recorded (whatever the reason)."""

    def learner(self, learner_id: str, on_behalf_of: str) -> Child: ...


class AccessLog(Protocol):
    def entries(self, learner_id: str, bearer_token: str) -> list[AccessEntry]:
        """Who read the learner's record, newest first, as the guardian's own token may see it."""


class StaffDirectory(Protocol):
    def staff(self, staff_id: str) -> StaffContact | None: ...

    def teachers_of_class(self, class_id: str) -> list[StaffContact]: ...


class TimetableSource(Protocol):
    """education's GetTimetable (gRPC): only for classes whose TimetablePublished the portal never received."""

    def lessons(self, class_id: str) -> list[Lesson] | None:
        """The published weekly lessons ([] when none is published), or None when they cannot be read now."""


@dataclass(frozen=True)
class Deps:
    """Everything a handler needs besides its command; built once by ``bootstrap``."""

    uow: Callable[[], UnitOfWork]
    education: Education
    access_log: AccessLog
    staff: StaffDirectory
    timetable: TimetableSource
    growth: GrowthStandard
    clock: Callable[[], datetime]
    throttle: ThrottlePolicy = field(default_factory=ThrottlePolicy)
