"""Domain errors → the platform's JSON error shape, once for every route.

``message`` is English; ``details.message_mn`` carries the Mongolian text for pages and clients that show it.
A lockout answers 423 with ``Retry-After``.
"""

from __future__ import annotations

from esis_shared.errors import error_body
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from identity.domain import errors, signup

STATUS: dict[type[errors.IdentityError], int] = {
    errors.InvalidCredentials: 401,
    errors.InvalidRefreshToken: 401,
    errors.RefreshTokenReused: 401,
    errors.AccountLocked: 423,
    errors.AccountDisabled: 403,
    errors.NotPermitted: 403,
    errors.AccountNotFound: 404,
    errors.UsernameTaken: 409,
    errors.InvalidField: 422,
    errors.InvalidActivation: 401,
    errors.AccountsRejected: 422,
    signup.SignupThrottled: 429,
    signup.InvalidSignupCode: 422,
    signup.SignupLocked: 423,
}


def status_of(exc: errors.IdentityError) -> int:
    return next((code for kind, code in STATUS.items() if isinstance(exc, kind)), 400)


def response_for(exc: errors.IdentityError) -> JSONResponse:
    details = {**exc.details, "message_mn": exc.message_mn}
    headers = {}
    if "retry_after_s" in exc.details:
        headers["Retry-After"] = str(exc.details["retry_after_s"])
    return JSONResponse(error_body(exc.code, exc.message, details), status_code=status_of(exc), headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(errors.IdentityError)
    async def _identity_error(_: Request, exc: errors.IdentityError) -> JSONResponse:
        return response_for(exc)
