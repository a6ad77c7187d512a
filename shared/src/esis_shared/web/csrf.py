"""CSRF protection for forms: asgi-csrf's signed double-submit cookie, tuned for this platform.

asgi-csrf sets a signed ``csrftoken`` cookie when a page asks for the token and, on every unsafe
request, compares it with the ``csrftoken`` form field (or the ``X-CSRFToken`` header) in constant
time. Two of its defaults do not fit and are adjusted here:

* it lets any unsafe request *without cookies* through. A page form posted without cookies is still
  worth refusing (login CSRF: signing a victim into the attacker's account), so every path outside
  ``/api/`` is always protected;
* it protects any request that carries *any* cookie. The JSON API is called with ``Authorization:
  Bearer`` (always exempt), and a browser calling it would also send harmless cookies such as ``lang``;
  so an ``/api/`` request is exempt unless it carries the session cookie, the only ambient credential
  (then it must send ``X-CSRFToken``).

The cookie is shared by every service on the origin (Path=/), so all services must sign with the same
secret: a page of one service carries the sign-out form of identity.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any

from asgi_csrf import Errors, asgi_csrf
from fastapi import FastAPI
from fastapi.responses import JSONResponse, Response
from starlette.requests import Request, cookie_parser
from starlette.types import ASGIApp, Receive, Scope, Send

from esis_shared.auth import SESSION_COOKIE
from esis_shared.errors import error_body
from esis_shared.web.multipart_csrf import form_token, is_page_upload

CSRF_FIELD = "csrftoken"
CSRF_SCOPE_KEY = "csrftoken"
API_PREFIX = "/api/"
DEV_SECRET = "esis-development-csrf-secret"  # noqa: S105 - refused in production
SECRET_ENV = "ESIS_CSRF_SECRET"
FailurePage = Callable[[Request], Response]


class _PagePaths:
    """``always_protect`` for asgi-csrf: membership means "a page, check it even without cookies"."""

    def __contains__(self, path: object) -> bool:
        return isinstance(path, str) and not path.startswith(API_PREFIX)


def _api_without_session(scope: Scope) -> bool:
    if not scope["path"].startswith(API_PREFIX):
        return False
    headers = dict(scope.get("headers") or [])
    return SESSION_COOKIE not in cookie_parser(headers.get(b"cookie", b"").decode("latin-1"))


def csrf_secret(settings: Any, service: str) -> str:
    """The signing secret: ``settings.csrf_secret``, ``<SERVICE>_CSRF_SECRET`` or ``ESIS_CSRF_SECRET``.

    Development falls back to a fixed key so that every service of ``make run`` agrees; production
    refuses it, as it refuses every development key.
    """
    configured = (getattr(settings, "csrf_secret", None) or os.environ.get(f"{service.upper()}_CSRF_SECRET")
                  or os.environ.get(SECRET_ENV))
    if configured:
        return str(configured)
    if getattr(settings, "is_production", False):
        raise RuntimeError(f"{service}: set {service.upper()}_CSRF_SECRET (or {SECRET_ENV}) in production; "
                           "every service must use the same value")
    return DEV_SECRET


def install_csrf(app: FastAPI, *, secret: str, secure: bool, failure_page: FailurePage) -> None:
    """Wrap ``app`` in the CSRF check; a refused page post gets ``failure_page``, an API call JSON."""

    async def send_failed(scope: Scope, send: Send, error: Errors) -> None:
        request = Request(scope)
        if scope["path"].startswith(API_PREFIX):
            response: Response = JSONResponse(error_body("csrf_failed", "CSRF token missing or wrong: send "
                                                         "X-CSRFToken or use a Bearer token"), status_code=403)
        else:
            response = failure_page(request)
        await response(scope, _no_body, send)

    app.add_middleware(
        _csrf_except_plain_api,  # type: ignore[arg-type]  # a function taking the app, as Starlette allows
        signing_secret=secret, cookie_secure=secure, cookie_samesite="Lax",
        always_protect=_PagePaths(), skip_if_scope=_api_without_session, send_csrf_failed=send_failed,
    )


def _csrf_except_plain_api(app: ASGIApp, **options: Any) -> ASGIApp:
    """asgi-csrf around ``app``, left out entirely for ``/api/`` calls without the session cookie.

    Those calls are exempt from the check anyway (``skip_if_scope``), but asgi-csrf would still sign a fresh
    token and wrap the response for each of them; that is most of the platform's traffic.
    """
    protected = asgi_csrf(app, **options)

    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and _api_without_session(scope):
            await app(scope, receive, send)
        elif is_page_upload(scope, API_PREFIX):
            checked, replay = await form_token(scope, receive, CSRF_FIELD)
            if checked is None:
                await options["send_csrf_failed"](scope, send, Errors.MULTIPART_MISMATCH)
            else:
                await protected(checked, replay, send)
        else:
            await protected(scope, receive, send)

    return middleware


def csrf_token(request: Request) -> str:
    """The token to put in a form's ``csrftoken`` field (asking for it sets the cookie if needed)."""
    getter = request.scope.get(CSRF_SCOPE_KEY)
    if getter is None:
        raise RuntimeError("CSRF middleware is not installed: call setup_web()")
    return str(getter())


async def _no_body() -> dict[str, Any]:
    """``receive`` for a response sent after the request body was consumed by the check."""
    return {"type": "http.disconnect"}
