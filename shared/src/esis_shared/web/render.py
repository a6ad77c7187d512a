"""Rendering pages: the Jinja2 environment, the per-request context, and the headers every page gets."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.support import NullTranslations
from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from esis_shared.web import i18n
from esis_shared.web.csrf import CSRF_FIELD, CSRF_SCOPE_KEY, csrf_token
from esis_shared.web.session import LOGOUT_PATH
from esis_shared.web.static import StaticAssets

SHARED_DIR = Path(__file__).parent
# Everything a page loads comes from its own origin: this is also what enforces "no CDN" in a browser.
CONTENT_SECURITY_POLICY = ("default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
                           "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'")
PAGE_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    # Pages show personal data: never keep them in a shared cache or the back-forward cache of a
    # school computer after sign-out.
    "Cache-Control": "no-store",
}


@dataclass
class WebUI:
    """What ``setup_web`` builds for one service; kept on ``app.state.web``."""

    service: str
    env: Environment
    translations: Mapping[str, NullTranslations]
    static: StaticAssets
    production: bool = False
    context: dict[str, Any] = field(default_factory=dict)

    def translator(self, lang: str) -> NullTranslations:
        return self.translations.get(lang) or self.translations[i18n.DEFAULT_LANGUAGE]


@pass_context
def _gettext(context: Context, message: str) -> str:
    return context["i18n"].gettext(message)


@pass_context
def _ngettext(context: Context, singular: str, plural: str, n: int) -> str:
    return context["i18n"].ngettext(singular, plural, n)


def build_environment(templates_dir: Path | None) -> Environment:
    """Service templates first, then the shared ones (``base.html``, ``forms.html``, ...)."""
    loaders = [FileSystemLoader(str(templates_dir))] if templates_dir else []
    loaders.append(FileSystemLoader(str(SHARED_DIR / "templates")))
    env = Environment(loader=ChoiceLoader(loaders), autoescape=True, undefined=StrictUndefined,
                      extensions=["jinja2.ext.i18n"], trim_blocks=True, lstrip_blocks=True)
    # The catalogue is chosen per request (from the context), so one environment serves every language.
    env.install_gettext_callables(_gettext, _ngettext, newstyle=True)  # type: ignore[attr-defined]
    return env


def web_ui(request: Request) -> WebUI:
    web = getattr(request.app.state, "web", None)
    if web is None:
        raise RuntimeError("call esis_shared.web.setup_web(app, ...) before rendering pages")
    return web


def translator(request: Request) -> NullTranslations:
    """The catalogue of the request's language, for strings made in Python (``.gettext(...)``)."""
    return web_ui(request).translator(i18n.request_language(request))


def page_context(request: Request) -> dict[str, Any]:
    """What every template may use, on top of the page's own context."""
    web = web_ui(request)
    lang = i18n.request_language(request)
    return {
        **web.context,
        "request": request,
        "service": web.service,
        "lang": lang,
        "languages": i18n.LANGUAGES,
        "lang_url": lambda code: i18n.lang_switch_url(request, code),
        "i18n": web.translator(lang),
        "static": web.static.url,
        # False only for the 500 page: Starlette renders it outside every middleware, the CSRF check included,
        # so that page has no token to offer and shows no form (the sign-out form of base.html).
        "csrf_available": CSRF_SCOPE_KEY in request.scope,
        "csrf_token": lambda: csrf_token(request),
        "csrf_input": lambda: _csrf_input(request),
        "user": getattr(request.state, "principal", None),
        "logout_url": LOGOUT_PATH,
    }


def _csrf_input(request: Request) -> Markup:
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, csrf_token(request))


def render(request: Request, template: str, context: Mapping[str, Any] | None = None, *,
           status_code: int = 200, headers: Mapping[str, str] | None = None) -> HTMLResponse:
    """Render ``template`` in the request's language as a complete, secured HTML response."""
    web = web_ui(request)
    html = web.env.get_template(template).render({**page_context(request), **(context or {})})
    response = HTMLResponse(html, status_code=status_code, headers={**PAGE_HEADERS, **(headers or {})})
    response.headers["Content-Language"] = i18n.request_language(request)
    response.headers.append("Vary", "Cookie")
    return response
