"""Languages of the pages: Babel catalogues compiled in memory, and the language of a request.

Source strings (msgids) are English; Mongolian (Cyrillic) is what a visitor sees unless they choose
English. The choice comes from ``?lang=en|mn`` and is remembered in the ``lang`` cookie.
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable, Mapping
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations
from starlette.requests import HTTPConnection, cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger(__name__)

LANGUAGES: tuple[str, ...] = ("mn", "en")
DEFAULT_LANGUAGE = "mn"
LANG_COOKIE = "lang"
LANG_PARAM = "lang"
LANG_COOKIE_MAX_AGE = 365 * 24 * 3600
DOMAIN = "messages"


def compile_po(path: Path, lang: str) -> Translations:
    """Read one ``.po`` file and compile it in memory (fuzzy entries are left out, as msgfmt does)."""
    with path.open("rb") as po_file:
        catalog = read_po(po_file, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return Translations(fp=buffer, domain=DOMAIN)


def load_translations(locale_dirs: Iterable[Path | None],
                      languages: Iterable[str] = LANGUAGES) -> dict[str, NullTranslations]:
    """One merged catalogue per language; a later directory's entries win over an earlier one's."""
    return {lang: _merged(lang, locale_dirs) for lang in languages}


def _merged(lang: str, locale_dirs: Iterable[Path | None]) -> NullTranslations:
    merged: Translations | None = None
    for folder in locale_dirs:
        if folder is None:
            continue
        po_path = Path(folder) / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not po_path.is_file():
            continue
        compiled = compile_po(po_path, lang)
        merged = compiled if merged is None else merged.merge(compiled)
    return merged if merged is not None else NullTranslations()


def normalise(value: str | None) -> str | None:
    """``"MN"``, ``"en"`` → a supported language code, anything else → None."""
    code = (value or "").strip().lower()
    return code if code in LANGUAGES else None


def request_language(conn: HTTPConnection) -> str:
    """``?lang=`` first, then the ``lang`` cookie, else Mongolian."""
    return (normalise(conn.query_params.get(LANG_PARAM)) or normalise(conn.cookies.get(LANG_COOKIE))
            or DEFAULT_LANGUAGE)


def lang_switch_url(conn: HTTPConnection, lang: str) -> str:
    """The current local URL (path + query) with ``lang`` set: the target of the МН / EN links."""
    params = [(k, v) for k, v in parse_qsl(conn.url.query, keep_blank_values=True) if k != LANG_PARAM]
    params.append((LANG_PARAM, lang))
    return f"{conn.url.path}?{urlencode(params)}"


class LanguageCookieMiddleware:
    """Remember a ``?lang=`` choice: adds ``Set-Cookie: lang=...`` to the response that carried it."""

    def __init__(self, app: ASGIApp, *, secure: bool = False) -> None:
        self.app = app
        self.secure = secure

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        chosen = _query_language(scope) if scope["type"] == "http" else None
        if chosen is None or _cookie_language(scope) == chosen:
            await self.app(scope, receive, send)
            return
        cookie = _lang_cookie(chosen, secure=self.secure or scope.get("scheme") == "https")

        async def send_with_cookie(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie)]
            await send(message)

        await self.app(scope, receive, send_with_cookie)


def _query_language(scope: Scope) -> str | None:
    query = scope.get("query_string", b"").decode("latin-1")
    values = [v for k, v in parse_qsl(query) if k == LANG_PARAM]
    return normalise(values[0]) if values else None  # the first, as Starlette's query_params.get


def _cookie_language(scope: Scope) -> str | None:
    headers: Mapping[bytes, bytes] = dict(scope.get("headers") or [])
    return normalise(cookie_parser(headers.get(b"cookie", b"").decode("latin-1")).get(LANG_COOKIE))


def _lang_cookie(lang: str, *, secure: bool) -> bytes:
    attrs = [f"{LANG_COOKIE}={lang}", "Path=/", f"Max-Age={LANG_COOKIE_MAX_AGE}", "SameSite=Lax", "HttpOnly"]
    if secure:
        attrs.append("Secure")
    return "; ".join(attrs).encode("latin-1")
