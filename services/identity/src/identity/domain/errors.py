"""Domain errors. Each says what went wrong in English (``message``) and Mongolian (``message_mn``).

Entry points map them to HTTP/gRPC once (``entrypoints/api/errors.py``); the login page shows ``message_mn``
or ``message`` by the page language.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any


class IdentityError(Exception):
    code = "identity_error"

    def __init__(self, message: str, message_mn: str, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        self.message_mn = message_mn
        self.details = details


class InvalidCredentials(IdentityError):
    code = "invalid_credentials"

    def __init__(self) -> None:
        super().__init__("Wrong username or password", "Нэвтрэх нэр эсвэл нууц үг буруу байна.")


class AccountLocked(IdentityError):
    code = "account_locked"

    def __init__(self, locked_until: datetime | None, now: datetime) -> None:
        if locked_until is None:
            super().__init__("This account is locked by an administrator. Contact your school or department.",
                             "Энэ бүртгэлийг админ түгжсэн байна. Сургууль эсвэл хэлтэстээ хандана уу.")
            return
        minutes = max(1, -(-int((locked_until - now).total_seconds()) // 60))
        super().__init__(
            f"Too many failed sign-in attempts. Try again in {minutes} minutes.",
            f"Нэвтрэх оролдлого хэт олон удаа амжилтгүй боллоо. {minutes} минутын дараа дахин оролдоно уу.",
            locked_until=locked_until.isoformat(), retry_after_s=int((locked_until - now).total_seconds()) + 1,
        )


class AccountDisabled(IdentityError):
    code = "account_disabled"

    def __init__(self) -> None:
        super().__init__("This account has been disabled.", "Энэ бүртгэлийг идэвхгүй болгосон байна.")


class InvalidRefreshToken(IdentityError):
    code = "invalid_refresh_token"

    def __init__(self) -> None:
        super().__init__("The session has expired or was signed out. Please sign in again.",
                         "Таны нэвтрэлт дууссан эсвэл гарсан байна. Дахин нэвтэрнэ үү.")


class RefreshTokenReused(IdentityError):
    code = "refresh_token_reused"

    def __init__(self) -> None:
        super().__init__("This refresh token was already used; all sessions it belongs to were signed out. "
                         "Please sign in again.",
                         "Энэ токеныг өмнө ашигласан тул холбогдох бүх нэвтрэлтийг хаалаа. Дахин нэвтэрнэ үү.")


class NotPermitted(IdentityError):
    code = "forbidden"


class AccountNotFound(IdentityError):
    code = "not_found"

    def __init__(self, account_id: str) -> None:
        super().__init__(f"No account {account_id}", "Ийм бүртгэл олдсонгүй.", account_id=account_id)


class UsernameTaken(IdentityError):
    code = "username_taken"

    def __init__(self, username: str) -> None:
        super().__init__(f"The username '{username}' is already taken", "Энэ нэвтрэх нэр бүртгэгдсэн байна.",
                         fields=[{"field": "username", "message": "already taken"}])


class InvalidField(IdentityError):
    """A value the caller can correct: names the field, like the platform's validation errors."""

    code = "validation_error"

    def __init__(self, field: str, message: str, message_mn: str) -> None:
        super().__init__(message, message_mn,
                         fields=[{"field": field, "message": message, "message_mn": message_mn}])
        self.field = field


class InvalidScopes(InvalidField):
    pass


class WeakPassword(InvalidField):
    code = "weak_password"


class InvalidActivation(IdentityError):
    """Unknown username, wrong or used code, or expired: one answer for all, like a failed sign-in."""

    code = "invalid_activation"

    def __init__(self) -> None:
        super().__init__("Wrong username or activation code, or the code has expired or was used already",
                         "Нэвтрэх нэр эсвэл идэвхжүүлэх код буруу, эсвэл кодын хугацаа дууссан эсвэл "
                         "ашиглагдсан байна.")


class AccountsRejected(IdentityError):
    """A bulk request with rows that cannot be created: nothing was created; ``details.rows`` names each problem.

    Each row error is ``{"row": index in the request, "field", "code", "message", "message_mn"}``; the platform's
    ``details.fields`` lists the same as ``accounts[<row>].<field>``.
    """

    code = "bulk_rejected"

    def __init__(self, rows: list[dict[str, object]], checked: int) -> None:
        failed = len({row["row"] for row in rows})
        super().__init__(f"{failed} of {checked} accounts cannot be created; nothing was created",
                         f"{checked} бүртгэлийн {failed} нь алдаатай тул нэг ч бүртгэл үүсгэсэнгүй.",
                         rows=rows, checked_rows=checked,
                         fields=[{"field": f"accounts[{row['row']}].{row['field']}", "message": row["message"]}
                                 for row in rows])
