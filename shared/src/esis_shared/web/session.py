"""Signed-in pages: the session cookies, the page dependency that demands a sign-in, safe redirects.

``esis_session`` carries the access token (HttpOnly, SameSite=Lax, Max-Age = token lifetime) and is
sent to every page of every service on the origin. ``esis_refresh`` carries the refresh token and is
sent only to identity's sign-in and sign-out pages (one cookie per path), which are the only pages that
use it.
"""

from __future__ import annotations

import logging
from typing import Protocol
from urllib.parse import urlencode, urlsplit

from fastapi import Request
from fastapi.responses import RedirectResponse, Response

from esis_shared.auth import SESSION_COOKIE, Principal, TokenVerifier
from esis_shared.errors import Unauthorized

log = logging.getLogger(__name__)

REFRESH_COOKIE = "esis_refresh"
LOGIN_PATH = "/identity/login"
LOGOUT_PATH = "/identity/logout"
REFRESH_COOKIE_PATHS: tuple[str, ...] = (LOGIN_PATH, LOGOUT_PATH)
DEFAULT_NEXT = "/identity/"
_MAX_NEXT_LENGTH = 2000


class Tokens(Protocol):
    access_token: str
    refresh_token: str
    expires_in: int


class LoginRequired(Exception):  # noqa: N818 - a signal handled into a redirect, not an error
    """Raised by :func:`page_principal`; the web layer turns it into a redirect to the sign-in page."""

    def __init__(self, location: str) -> None:
        super().__init__(location)
        self.location = location


def safe_next(value: str | None, default: str = DEFAULT_NEXT) -> str:
    """``value`` if it is a path on this site, else ``default``: refuses open redirects.

    Accepts only ``/path?query``: no scheme, no host, no ``//host`` or ``/\\host`` (browsers treat a
    backslash as a slash), no control characters (browsers drop tabs and newlines inside URLs).
    """
    if not value or len(value) > _MAX_NEXT_LENGTH or not value.startswith("/"):
        return default
    if value.startswith("//") or "\\" in value or any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in value):
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc:
        return default
    return value


def login_url(request: Request) -> str:
    """The sign-in page, asked to come back to the current page afterwards."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return f"{LOGIN_PATH}?{urlencode({'next': safe_next(here)})}"


def secure_cookies(request: Request) -> bool:
    """Cookies get ``Secure`` over https and always in production (TLS may end at the ingress)."""
    settings = getattr(request.app.state, "web", None)
    production = bool(settings and settings.production)
    return production or request.url.scheme == "https"


def set_session(response: Response, request: Request, tokens: Tokens) -> None:
    """Put freshly issued tokens into the session cookies of ``response``."""
    secure = secure_cookies(request)
    response.set_cookie(SESSION_COOKIE, tokens.access_token, max_age=int(tokens.expires_in), path="/",
                        secure=secure, httponly=True, samesite="lax")
    refresh_max_age = getattr(tokens, "refresh_expires_in", None)
    for path in REFRESH_COOKIE_PATHS:
        response.set_cookie(REFRESH_COOKIE, tokens.refresh_token, max_age=refresh_max_age, path=path,
                            secure=secure, httponly=True, samesite="lax")


def clear_session(response: Response, request: Request) -> None:
    """Expire every session cookie (the same name, path and flags as when set)."""
    secure = secure_cookies(request)
    response.delete_cookie(SESSION_COOKIE, path="/", secure=secure, httponly=True, samesite="lax")
    for path in REFRESH_COOKIE_PATHS:
        response.delete_cookie(REFRESH_COOKIE, path=path, secure=secure, httponly=True, samesite="lax")


def refresh_token(request: Request) -> str | None:
    """The refresh token, visible only on the paths in :data:`REFRESH_COOKIE_PATHS`."""
    return request.cookies.get(REFRESH_COOKIE) or None


def _verifier(request: Request) -> TokenVerifier:
    verifier = getattr(request.app.state, "token_verifier", None)
    if verifier is None:
        raise RuntimeError("pages need app.state.token_verifier (see esis_shared.auth)")
    return verifier


def session_principal(request: Request) -> Principal | None:
    """The principal of a valid ``esis_session`` cookie, else None (an expired token is no session)."""
    token = request.cookies.get(SESSION_COOKIE)
    if not token:
        return None
    try:
        principal = _verifier(request).verify(token)
    except Unauthorized as exc:
        log.debug("session cookie refused: %s", exc.code)
        return None
    request.state.principal = principal
    return principal


def page_principal(request: Request) -> Principal:
    """Dependency for signed-in pages: the principal, or a redirect to the sign-in page and back."""
    principal = session_principal(request)
    if principal is None:
        raise LoginRequired(login_url(request))
    return principal


def optional_principal(request: Request) -> Principal | None:
    """Dependency for public pages that greet a signed-in visitor."""
    return session_principal(request)


def redirect(location: str, *, status_code: int = 303) -> RedirectResponse:
    """See Other after a form post, so a reload never re-submits the form."""
    return RedirectResponse(location, status_code=status_code)

