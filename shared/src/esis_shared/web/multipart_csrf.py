"""CSRF for file-upload forms.

asgi-csrf 0.11 cannot read multipart bodies with python-multipart 0.0.34 (its ``FormParser(FileClass=...)`` call
fails), so a page form with a file would end in a server error. ``install_csrf`` therefore reads a multipart page
post itself, up to its ``csrftoken`` field (``csrf_input()`` puts it before any file). A post whose field is
missing, comes after a file or differs from the ``csrftoken`` cookie is refused at once; otherwise the token goes
to asgi-csrf as the ``X-CSRFToken`` header, which it checks (signature and cookie) without reading the body, and
the body is replayed untouched to the page.
"""

from __future__ import annotations

import secrets
from typing import Any

from python_multipart.multipart import FormParser
from starlette.requests import cookie_parser
from starlette.types import Message, Receive, Scope

FIELD, HEADER = b"csrftoken", b"x-csrftoken"


class _Found(Exception):  # noqa: N818 - a signal that stops the parser
    def __init__(self, token: str | None) -> None:
        super().__init__()
        self.token = token


def is_page_upload(scope: Scope, api_prefix: str) -> bool:
    return (scope["type"] == "http" and scope["method"] == "POST" and not scope["path"].startswith(api_prefix)
            and _header(scope, b"content-type").startswith("multipart/form-data"))


async def form_token(scope: Scope, receive: Receive, cookie_name: str) -> tuple[Scope | None, Receive]:
    """``scope`` with the form's token as ``X-CSRFToken``, or None when the form's token does not match the cookie;
    and a ``receive`` that replays the body read so far."""
    token, replay = await _read_token(scope, receive)
    cookie = cookie_parser(_header(scope, b"cookie")).get(cookie_name, "")
    if not token or not cookie or not secrets.compare_digest(token.encode(), cookie.encode()):
        return None, replay
    headers = [(k, v) for k, v in scope["headers"] if k != HEADER] + [(HEADER, token.encode("latin-1", "replace"))]
    return {**scope, "headers": headers}, replay


def _header(scope: Scope, name: bytes) -> str:
    return next((v.decode("latin-1") for k, v in scope["headers"] if k == name), "")


async def _read_token(scope: Scope, receive: Receive) -> tuple[str | None, Receive]:
    messages: list[Message] = []
    parser = FormParser("multipart/form-data", _on_field, _on_file, boundary=_boundary(scope))
    token: str | None = None
    try:
        more = True
        while more:
            message = await receive()
            messages.append(message)
            parser.write(message.get("body", b""))
            more = message.get("more_body", False)
    except _Found as found:
        token = found.token
    except ValueError:  # a malformed body: no token, refused by the CSRF check
        token = None

    async def replay() -> Message:
        return messages.pop(0) if messages else await receive()

    return token, replay


def _boundary(scope: Scope) -> bytes:
    return _header(scope, b"content-type").partition("boundary=")[2].strip('"').encode("latin-1")


def _on_field(field: Any) -> None:
    if field.field_name == FIELD:
        raise _Found((field.value or b"").decode("utf-8", "replace"))


def _on_file(_: Any) -> None:
    raise _Found(None)  # a file before the token: refused, as asgi-csrf would
