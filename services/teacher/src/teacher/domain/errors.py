"""Domain errors: a stable code, an English and a Mongolian message, and the field or rows they are about.

Entry points map ``kind`` to an HTTP status once (``entrypoints/api/errors.py``); pages show ``message_mn`` or
``message`` by the page language.
"""

from __future__ import annotations

from typing import Any


class TeacherError(Exception):
    kind = "invalid"
    code = "invalid"

    def __init__(self, message: str, message_mn: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.message_mn = message_mn
        if code:
            self.code = code
        self.details = details

    def text(self, lang: str) -> str:
        return self.message if lang == "en" else self.message_mn


class Invalid(TeacherError):
    """Input the caller can correct; ``details['fields']`` names each offending field or row."""

    kind = "invalid"
    code = "validation_error"


class Refused(TeacherError):
    """A well-formed request that a rule refuses (non-school day, learner not enrolled, grades final)."""

    kind = "refused"
    code = "refused"


class NotPermitted(TeacherError):
    kind = "forbidden"
    code = "forbidden"


class NotFound(TeacherError):
    kind = "not_found"
    code = "not_found"


class Conflict(TeacherError):
    kind = "conflict"
    code = "conflict"


def invalid(field: str, message: str, message_mn: str, *, code: str = "validation_error", **details: Any) -> Invalid:
    """A validation error naming one field, in the platform's ``details.fields`` shape."""
    entry = {"field": field, "message": message, "message_mn": message_mn}
    return Invalid(message, message_mn, code=code, fields=[entry], **details)


def not_found(what: str, what_mn: str, ident: str, *, code: str = "not_found") -> NotFound:
    return NotFound(f"{what} {ident} was not found", f"{what_mn} олдсонгүй ({ident}).", code=code, id=ident)
