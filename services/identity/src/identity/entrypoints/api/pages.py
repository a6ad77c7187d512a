"""identity's web pages: sign in, sign out and "My account", built on esis_shared.web.

``register_pages(app)`` (also reachable as ``install``, the name ``app.install_pages`` looks for) adds the
routes, templates, catalogues, static files, language cookie and CSRF check. A signed-in browser holds the
access token in ``esis_session`` (every service's pages read it) and the refresh token in
``esis_refresh``, sent only to ``/identity/login`` (silent renewal) and ``/identity/logout`` (revocation).
"""

from __future__ import annotations

import logging
from contextlib import suppress
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from esis_shared.auth import Principal
from esis_shared.web import (
    LOGIN_PATH,
    LOGOUT_PATH,
    clear_session,
    page_principal,
    redirect,
    refresh_token,
    render,
    request_language,
    safe_next,
    session_principal,
    set_session,
    setup_web,
    translator,
)
from fastapi import APIRouter, Depends, FastAPI, Form, Request
from fastapi.responses import Response

from identity.domain.errors import IdentityError, InvalidField
from identity.entrypoints.api.deps import ContainerDep, client_ip
from identity.entrypoints.api.errors import status_of
from identity.service_layer.commands import ResendSignupCode, StartSignup, VerifySignup
from identity.service_layer.sessions import TokenPair

log = logging.getLogger(__name__)
PACKAGE_DIR = Path(__file__).resolve().parents[2]
TEMPLATES_DIR = PACKAGE_DIR / "templates"
LOCALE_DIR = PACKAGE_DIR / "locale"
ACCOUNT_PATH = "/identity/"
SIGNUP_PATH = "/identity/signup"
SIGNUP_VERIFY_PATH = "/identity/signup/verify"
PARENT_CLAIM = "/parent/claim"  # a new guardian has no child yet: the portal's "add a child" form

router = APIRouter(include_in_schema=False)


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    """Mark a string for extraction (``pybabel extract -k N_``) without translating it here."""
    return message


ROLE_LABELS = {
    "ministry": N_("Ministry of Education staff"),
    "aimag_officer": N_("Aimag education department officer"),
    "district_officer": N_("Soum or district education officer"),
    "school_admin": N_("School administrator"),
    "teacher": N_("Teacher"),
    "parent": N_("Parent or guardian"),
    "service": N_("Service account"),
}


def register_pages(app: FastAPI) -> None:
    """Add identity's pages and the shared web layer (after ``create_app``, with ``app.state.container`` set)."""
    app.include_router(router)
    setup_web(app, service="identity", templates_dir=TEMPLATES_DIR, locale_dir=LOCALE_DIR,
              settings=app.state.container.settings, context={"home_url": ACCOUNT_PATH})


install = register_pages


def role_label(request: Request, role: str) -> str:
    return translator(request).gettext(ROLE_LABELS[role]) if role in ROLE_LABELS else role


def _error_text(request: Request, exc: IdentityError) -> str:
    """Domain errors carry both languages; show the page's."""
    return exc.message_mn if request_language(request) == "mn" else exc.message


def _login_page(request: Request, target: str, *, status_code: int = 200, **context: Any) -> Response:
    values = {"username": "", "error": None, "field_errors": {}, "signed_out": False, **context}
    action = f"{LOGIN_PATH}?{urlencode({'next': target})}"
    return render(request, "login.html", {"action": action, **values}, status_code=status_code)


def _signed_in(request: Request, pair: TokenPair, target: str) -> Response:
    response = redirect(target)
    set_session(response, request, pair)
    return response


@router.get(LOGIN_PATH)
def login_form(request: Request, container: ContainerDep, next: str | None = None,
               signed_out: bool = False) -> Response:
    """The sign-in form; a visitor with a live refresh cookie goes straight back to ``next``."""
    target = safe_next(next, ACCOUNT_PATH)
    if session_principal(request) is not None:
        return redirect(target)
    token = refresh_token(request)
    if token:
        try:
            return _signed_in(request, container.refresh(token), target)
        except IdentityError as exc:
            log.info("silent sign-in refused: %s", exc.code)
    response = _login_page(request, target, signed_out=signed_out)
    if token:
        clear_session(response, request)
    return response


@router.post(LOGIN_PATH)
def login_submit(request: Request, container: ContainerDep, username: Annotated[str, Form()] = "",
                 password: Annotated[str, Form()] = "", next: str | None = None) -> Response:
    target = safe_next(next, ACCOUNT_PATH)
    _ = translator(request).gettext
    missing = {name: message for name, message in (
        ("username", _("Enter your username.") if not username.strip() else None),
        ("password", _("Enter your password.") if not password else None)) if message}
    if missing:
        return _login_page(request, target, username=username, field_errors=missing, status_code=400)
    try:
        pair = container.login(username, password, client_ip(request))
    except IdentityError as exc:
        return _login_page(request, target, status_code=status_of(exc), username=username,
                           error=_error_text(request, exc))
    return _signed_in(request, pair, target)


@router.post(LOGOUT_PATH)
def logout(request: Request, container: ContainerDep) -> Response:
    """Revoke the refresh token (if this browser has one) and forget every session cookie."""
    token = refresh_token(request)
    if token:
        with suppress(IdentityError):
            container.logout(token)
    response = redirect(f"{LOGIN_PATH}?signed_out=1")
    clear_session(response, request)
    return response


@router.get(ACCOUNT_PATH)
def account(request: Request, principal: Annotated[Principal, Depends(page_principal)]) -> Response:
    """"My account": who is signed in, with which role and scopes."""
    return render(request, "account.html", {"principal": principal, "role_label": role_label(request, principal.role)})


def _problem(request: Request, exc: IdentityError) -> tuple[str | None, dict[str, str]]:
    """A field error beside its field; anything else as the page's alert."""
    if isinstance(exc, InvalidField):
        return None, {exc.field: _error_text(request, exc)}
    return _error_text(request, exc), {}


def _signup_page(request: Request, *, status_code: int = 200, **context: Any) -> Response:
    values = {"display_name": "", "phone": "", "error": None, "field_errors": {}, **context}
    return render(request, "signup.html", values, status_code=status_code)


def _verify_page(request: Request, *, status_code: int = 200, **context: Any) -> Response:
    values = {"phone": "", "error": None, "notice": None, "field_errors": {}, **context}
    return render(request, "signup_verify.html", values, status_code=status_code)


@router.get(SIGNUP_PATH)
def signup_form(request: Request) -> Response:
    """A guardian's own sign-up: name, mobile number, password; a code follows by SMS."""
    return _signup_page(request)


@router.post(SIGNUP_PATH)
def signup_submit(request: Request, container: ContainerDep, display_name: Annotated[str, Form()] = "",
                  phone: Annotated[str, Form()] = "", password: Annotated[str, Form()] = "") -> Response:
    lang = request_language(request)
    try:
        container.handle(StartSignup(display_name, phone, password, lang, client_ip(request)))
    except IdentityError as exc:
        error, fields = _problem(request, exc)
        return _signup_page(request, status_code=status_of(exc), display_name=display_name, phone=phone,
                            error=error, field_errors=fields)
    return _verify_page(request, phone=phone.strip())


@router.get(SIGNUP_VERIFY_PATH)
def signup_verify_form(request: Request) -> Response:
    return _verify_page(request)


@router.post(SIGNUP_VERIFY_PATH)
def signup_verify_submit(request: Request, container: ContainerDep, phone: Annotated[str, Form()] = "",
                         code: Annotated[str, Form()] = "") -> Response:
    """The right code creates the account and signs in; the guardian lands on the parent portal (claim a child)."""
    try:
        pair = container.handle(VerifySignup(phone, code, client_ip(request)))
    except IdentityError as exc:
        error, fields = _problem(request, exc)
        return _verify_page(request, status_code=status_of(exc), phone=phone, error=error, field_errors=fields)
    return _signed_in(request, pair, PARENT_CLAIM)


@router.post("/identity/signup/resend")
def signup_resend(request: Request, container: ContainerDep, phone: Annotated[str, Form()] = "") -> Response:
    _ = translator(request).gettext
    try:
        container.handle(ResendSignupCode(phone, client_ip(request)))
    except IdentityError as exc:
        error, fields = _problem(request, exc)
        return _verify_page(request, status_code=status_of(exc), phone=phone, error=error, field_errors=fields)
    return _verify_page(request, phone=phone, notice=_("A new code is on its way."))
