"""Domain errors: each says what went wrong in English (``message``) and Mongolian (``message_mn``).

Entry points map ``kind`` to an HTTP status once (``entrypoints/api/errors.py``).
"""

from __future__ import annotations

from typing import Any


class ParentError(Exception):
    kind = "invalid"
    code = "invalid"

    def __init__(self, message: str, message_mn: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.message_mn = message_mn
        self.code = code or self.code
        self.details = details


class NotFound(ParentError):
    """Also what a guardian gets for a child that is not theirs: existence is never revealed."""

    kind = "not_found"
    code = "not_found"


class Forbidden(ParentError):
    kind = "forbidden"
    code = "forbidden"


class Invalid(ParentError):
    kind = "invalid"
    code = "validation_error"


class Conflict(ParentError):
    kind = "conflict"
    code = "conflict"


class Throttled(ParentError):
    kind = "throttled"
    code = "too_many_attempts"


class Unavailable(ParentError):
    """A service parent depends on did not answer; retrying later may work."""

    kind = "unavailable"
    code = "dependency_unavailable"


def invalid(field: str, message: str, message_mn: str, code: str = "validation_error") -> Invalid:
    return Invalid(message, message_mn, code=code, fields=[{"field": field, "message": message,
                                                           "message_mn": message_mn}])


def no_such_child() -> NotFound:
    return NotFound("No such child among your linked children", "Таны холбосон хүүхдүүдийн дунд ийм хүүхэд алга.",
                    code="child_not_found")
