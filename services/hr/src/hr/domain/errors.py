"""Domain errors: a stable code, a Mongolian and an English message, and the field or row they are about."""

from __future__ import annotations

from typing import Any


class HrError(Exception):
    """Base of every rule the HR domain refuses; ``kind`` tells entry points how to answer."""

    kind = "invalid"

    def __init__(self, code: str, message_mn: str, message_en: str, *, field: str | None = None,
                 details: dict[str, Any] | None = None) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_mn = message_mn
        self.message_en = message_en
        self.field = field
        self.details = details or {}

    def message(self, lang: str = "mn") -> str:
        return self.message_en if lang == "en" else self.message_mn


class InvalidInput(HrError):
    """The request itself is wrong (a field is missing, malformed or out of range)."""

    kind = "invalid"


class NotFound(HrError):
    kind = "not_found"


class Conflict(HrError):
    """The request is well formed but clashes with what is already recorded."""

    kind = "conflict"


class AccessDenied(HrError):
    kind = "forbidden"


def not_found(what_mn: str, what_en: str, ident: str, *, code: str) -> NotFound:
    return NotFound(code, f"{what_mn} олдсонгүй ({ident}).", f"{what_en} not found ({ident}).",
                    details={"id": ident})
