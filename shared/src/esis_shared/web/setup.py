"""``setup_web``: give a service's FastAPI app the platform's pages machinery in one call."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from esis_shared.errors import ApiError
from esis_shared.web.csrf import API_PREFIX, csrf_secret, install_csrf
from esis_shared.web.i18n import LanguageCookieMiddleware, load_translations
from esis_shared.web.render import SHARED_DIR, WebUI, build_environment, render
from esis_shared.web.session import LoginRequired
from esis_shared.web.static import StaticAssets

log = logging.getLogger(__name__)


def setup_web(app: FastAPI, *, service: str, templates_dir: str | Path | None = None,
              locale_dir: str | Path | None = None, settings: Any, static_dir: str | Path | None = None,
              context: dict[str, Any] | None = None) -> WebUI:
    """Templates, catalogues, ``/<service>/static``, language cookie, CSRF and HTML error pages.

    ``templates_dir`` / ``locale_dir`` / ``static_dir`` are the service's own (each optional); the shared
    ones are always added after them, so a service may override any shared template or translation.
    ``static_dir`` defaults to a ``static`` folder next to ``templates_dir``. ``context`` adds globals
    to every template. Call it after ``create_app`` so the CSRF check wraps everything.
    """
    templates = Path(templates_dir) if templates_dir else None
    static_folder = Path(static_dir) if static_dir else (templates.parent / "static" if templates else None)
    production = bool(getattr(settings, "is_production", False))
    static = StaticAssets(f"/{service}/static", [p for p in (static_folder, SHARED_DIR / "static") if p])
    web = WebUI(service=service, env=build_environment(templates),
                translations=load_translations([SHARED_DIR / "locale", Path(locale_dir) if locale_dir else None]),
                static=static, production=production,
                context={"home_url": f"/{service}/", **(context or {})})
    app.state.web = web
    app.mount(static.prefix, static.app(), name=f"{service}-static")
    app.add_middleware(LanguageCookieMiddleware, secure=production)
    install_csrf(app, secret=csrf_secret(settings, service), secure=production, failure_page=_csrf_failure_page)
    _install_page_errors(app, service)
    return web


def _csrf_failure_page(request: Request) -> Response:
    return render(request, "error.html", {"kind": "csrf"}, status_code=403)


def _is_page(request: Request, service: str) -> bool:
    path = request.url.path
    return not path.startswith(API_PREFIX) and (path == f"/{service}" or path.startswith(f"/{service}/"))


def _install_page_errors(app: FastAPI, service: str) -> None:
    """Pages get a sign-in redirect or an HTML error page; the JSON API keeps its error shape."""

    async def login_required(_: Request, exc: Exception) -> Response:
        assert isinstance(exc, LoginRequired)
        return RedirectResponse(exc.location, status_code=303, headers={"Cache-Control": "no-store"})

    app.add_exception_handler(LoginRequired, login_required)
    for exc_class in (StarletteHTTPException, ApiError, Exception):
        json_handler = app.exception_handlers.get(exc_class)
        if json_handler is not None:
            app.add_exception_handler(exc_class, _html_for_pages(json_handler, service))


def _html_for_pages(json_handler: Any, service: str) -> Any:
    async def handler(request: Request, exc: Exception) -> Response:
        fallback: Response = await json_handler(request, exc)  # logs, and answers the API
        if not _is_page(request, service):
            return fallback
        kept = {k: v for k, v in fallback.headers.items() if k.lower() in ("www-authenticate", "allow", "retry-after")}
        return render(request, "error.html", {"kind": str(fallback.status_code)}, status_code=fallback.status_code,
                      headers=kept)

    return handler
