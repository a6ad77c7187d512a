"""Admission applications: approve, suspend for missing documents, or reject with a reason.

The grade-1 age rule (the child turns 6 in the calendar year of entry; kindergarten groups likewise by age) and
the catchment check are warnings: the commission may override each one, but only with a written reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from education.domain import events
from education.domain.base import Aggregate
from education.domain.errors import Conflict, NeedsConfirmation, Warning_, invalid
from education.domain.learners import Learner
from education.domain.levels import Level, level
from education.domain.org import OrgUnit


class ApplicationState(StrEnum):
    SUBMITTED = "submitted"
    SUSPENDED = "suspended"  # waiting for missing documents
    APPROVED = "approved"
    REJECTED = "rejected"


DECIDABLE = frozenset({ApplicationState.SUBMITTED, ApplicationState.SUSPENDED})


@dataclass(eq=False)
class AdmissionApplication(Aggregate):
    id: str
    school_id: str
    learner_id: str
    year_id: str
    entry_year: int  # calendar year in which the school year starts
    level_code: str
    submitted_on: date
    state: ApplicationState = ApplicationState.SUBMITTED
    reason: str = ""
    missing_documents: list[str] = field(default_factory=list)
    overrides: dict[str, str] = field(default_factory=dict)
    decided_by: str | None = None
    decided_on: date | None = None

    @classmethod
    def submit(cls, *, id: str, school: OrgUnit, learner: Learner, year_id: str, entry_year: int, level: Level,
               on: date) -> AdmissionApplication:
        application = cls(id=id, school_id=school.id, learner_id=learner.id, year_id=year_id, entry_year=entry_year,
                          level_code=level.code, submitted_on=on)
        application.record(events.AdmissionApplied(id, school.id, learner.id, level.code))
        return application

    @property
    def level(self) -> Level:
        return level(self.level_code)

    def warnings(self, learner: Learner, school: OrgUnit) -> list[Warning_]:
        return [w for w in (age_warning(learner, self.level, self.entry_year), catchment_warning(learner, school))
                if w is not None]

    def approve(self, warnings: list[Warning_], overrides: dict[str, str], *, by: str, on: date) -> None:
        self._require_decidable()
        unconfirmed = [w for w in warnings if not overrides.get(w.code, "").strip()]
        if unconfirmed:
            raise NeedsConfirmation(unconfirmed)
        self.overrides = {w.code: overrides[w.code].strip() for w in warnings}
        self._decide(ApplicationState.APPROVED, by, on)
        self.record(self._decided(overridden=tuple(sorted(self.overrides))))

    def suspend(self, missing_documents: list[str], *, by: str, on: date) -> None:
        self._require_decidable()
        documents = [d.strip() for d in missing_documents if d.strip()]
        if not documents:
            raise invalid("missing_documents", "admission_documents_required", "Дутуу бичиг баримтыг жагсаана уу.",
                          "List the missing documents.")
        self.missing_documents = documents
        self._decide(ApplicationState.SUSPENDED, by, on)
        self.record(self._decided(missing_documents=tuple(documents)))

    def reject(self, reason: str, *, by: str, on: date) -> None:
        self._require_decidable()
        if not reason.strip():
            raise invalid("reason", "admission_reason_required", "Татгалзсан шалтгааныг бичнэ үү.",
                          "Give the reason for the rejection.")
        self.reason = reason.strip()
        self._decide(ApplicationState.REJECTED, by, on)
        self.record(self._decided(reason=self.reason))

    def _decide(self, state: ApplicationState, by: str, on: date) -> None:
        self.state, self.decided_by, self.decided_on = state, by, on

    def _decided(self, **extra: object) -> events.AdmissionDecided:
        return events.AdmissionDecided(self.id, self.school_id, self.learner_id, self.state.value, **extra)  # type: ignore[arg-type]

    def _require_decidable(self) -> None:
        if self.state not in DECIDABLE:
            raise Conflict(f"Өргөдөл аль хэдийн шийдвэрлэгдсэн ({self.state}).",
                           f"The application is already decided ({self.state}).", code="admission_already_decided",
                           details={"state": self.state.value})


def age_warning(learner: Learner, lvl: Level, entry_year: int) -> Warning_ | None:
    """Grade 1 takes children who turn 6 in the calendar year of entry; kindergarten groups by age likewise."""
    if not (lvl.grade == 1 or lvl.is_kindergarten):
        return None
    age = learner.age_in_year(entry_year)
    if age == lvl.entry_age:
        return None
    return Warning_("age_rule",
                    f"Хүүхэд {entry_year} онд {age} нас хүрнэ; {lvl.label_mn}-д {lvl.entry_age} нас хүрэх хүүхэд "
                    "элсэнэ.",
                    f"The child turns {age} in {entry_year}; {lvl.label_en} takes children turning {lvl.entry_age}.",
                    {"age": age, "expected_age": lvl.entry_age})


def catchment_warning(learner: Learner, school: OrgUnit) -> Warning_ | None:
    if not school.catchment or learner.area_code in school.catchment:
        return None
    return Warning_("outside_catchment",
                    f"Оршин суугаа хаяг ({learner.area_code or 'тодорхойгүй'}) сургуулийн хамран сургах тойрогт "
                    "хамаарахгүй.",
                    f"The home address area ({learner.area_code or 'unknown'}) is outside the school's catchment.",
                    {"area_code": learner.area_code})
