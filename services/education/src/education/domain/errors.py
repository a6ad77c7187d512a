"""Domain errors: a stable code, a Mongolian and an English message, and the field or part they are about."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Any, TypeVar

E = TypeVar("E", bound=Enum)


@dataclass(frozen=True)
class Warning_:
    """Something a person must confirm (with a reason) before the action goes ahead."""

    code: str
    message_mn: str
    message_en: str
    details: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "mn") -> str:
        return self.message_en if lang == "en" else self.message_mn

    def as_dict(self, lang: str = "mn") -> dict[str, Any]:
        return {"code": self.code, "message": self.message(lang), **self.details}


class DomainError(Exception):
    """Base of every rule violation; entrypoints map ``kind`` to a status code once."""

    kind = "invalid"
    code = "invalid"

    def __init__(self, message_mn: str, message_en: str, *, code: str | None = None, field: str | None = None,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(message_en)
        self.message_mn = message_mn
        self.message_en = message_en
        if code:
            self.code = code
        self.field = field
        self.details = details or {}

    def message(self, lang: str = "mn") -> str:
        return self.message_en if lang == "en" else self.message_mn


class Invalid(DomainError):
    kind = "invalid"


class NotFound(DomainError):
    kind = "not_found"
    code = "not_found"


class Conflict(DomainError):
    kind = "conflict"
    code = "conflict"


class Forbidden(DomainError):
    kind = "forbidden"
    code = "forbidden"


class ConcurrentChange(Conflict):
    """Someone else changed the same record first (optimistic version check)."""

    code = "concurrent_change"

    def __init__(self, what: str = "record") -> None:
        super().__init__(
            "Энэ бичлэгийг өөр хэрэглэгч түрүүлж өөрчилсөн байна. Хуудсаа шинэчлээд дахин оролдоно уу.",
            "Someone else changed this record first. Reload and try again.", details={"what": what})


class NeedsConfirmation(DomainError):
    """The action raised warnings; repeat it with a reason for each one to go ahead."""

    kind = "needs_confirmation"
    code = "needs_confirmation"

    def __init__(self, warnings: list[Warning_]) -> None:
        super().__init__(
            "Анхааруулгыг шалгаж, шалтгаанаа бичээд баталгаажуулна уу: " + "; ".join(w.message_mn for w in warnings),
            "Review the warnings and confirm with a reason: " + "; ".join(w.message_en for w in warnings),
            details={"warnings": [w.code for w in warnings]})
        self.warnings = warnings


def not_found(what_mn: str, what_en: str, ident: str) -> NotFound:
    return NotFound(f"{what_mn} олдсонгүй.", f"{what_en} not found.", code=f"{what_en.lower().replace(' ', '_')}"
                    "_not_found", details={"id": ident})


def invalid(field_name: str, code: str, message_mn: str, message_en: str, **details: Any) -> Invalid:
    return Invalid(message_mn, message_en, code=code, field=field_name, details=details)


def parse_enum(enum_cls: type[E], value: object, field_name: str) -> E:
    """An enum member from its value, or an error naming the field and the allowed values."""
    try:
        return enum_cls(value)  # type: ignore[call-arg]
    except ValueError:
        allowed = ", ".join(str(m.value) for m in enum_cls)  # type: ignore[attr-defined]
        raise invalid(field_name, "value_not_allowed", f"'{value}' утга буруу; боломжит: {allowed}.",
                      f"'{value}' is not allowed; use one of: {allowed}.", allowed=allowed) from None
