"""Web pages for every service: one layout, one stylesheet, Mongolian first with English, sign-in, CSRF.

A service calls :func:`setup_web` once and then writes routers whose handlers return
:func:`render` (see docs/web-ui.md).
"""

from esis_shared.web.csrf import CSRF_FIELD, csrf_token
from esis_shared.web.i18n import DEFAULT_LANGUAGE, LANG_COOKIE, LANGUAGES, request_language
from esis_shared.web.render import WebUI, render, translator
from esis_shared.web.session import (
    LOGIN_PATH,
    LOGOUT_PATH,
    REFRESH_COOKIE,
    LoginRequired,
    clear_session,
    login_url,
    optional_principal,
    page_principal,
    redirect,
    refresh_token,
    safe_next,
    session_principal,
    set_session,
)
from esis_shared.web.setup import setup_web

__all__ = [
    "CSRF_FIELD", "DEFAULT_LANGUAGE", "LANGUAGES", "LANG_COOKIE", "LOGIN_PATH", "LOGOUT_PATH", "REFRESH_COOKIE",
    "LoginRequired", "WebUI", "clear_session", "csrf_token", "login_url", "optional_principal", "page_principal",
    "redirect", "refresh_token", "render", "request_language", "safe_next", "session_principal", "set_session",
    "setup_web", "translator",
]
