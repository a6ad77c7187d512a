"""Domain errors of stats: each has a stable ``code`` and an English and a Mongolian message."""

from __future__ import annotations

from typing import Any


class StatsError(Exception):
    code = "stats_error"

    def __init__(self, message: str, message_mn: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.message_mn = message_mn
        self.details = details


class UnknownLevel(StatsError):
    code = "unknown_level"

    def __init__(self, grade: str) -> None:
        super().__init__(f"'{grade}' is not a known class level", f"'{grade}' гэсэн түвшин алга", grade=grade)


class MissingPopulation(StatsError):
    code = "population_missing"

    def __init__(self, what: str) -> None:
        super().__init__(f"No population reference for {what}: upload the population table first",
                         f"{what}-д хүн амын лавлах тоо алга: эхлээд хүн амын хүснэгтийг оруулна уу", what=what)


class ApprovalError(StatsError):
    code = "approval_refused"


class FigureLocked(ApprovalError):
    code = "figures_locked"

    def __init__(self, org_id: str) -> None:
        super().__init__(f"The figures of {org_id} are approved and locked: submit a correction with a reason",
                         f"{org_id}-ийн тоо баталгаажсан тул өөрчлөх боломжгүй: шалтгаантай залруулга оруулна уу",
                         org_id=org_id)


class BelowNotApproved(ApprovalError):
    code = "below_not_approved"

    def __init__(self, org_id: str, pending: list[str]) -> None:
        super().__init__(f"{org_id} cannot approve before every unit below it has: {', '.join(pending)} pending",
                         f"Доод шатны бүх нэгж баталгаажуулаагүй байна: {', '.join(pending)}",
                         org_id=org_id, pending=pending)


class NotPermitted(StatsError):
    code = "not_permitted"
