"""A bridge for file-upload forms: asgi-csrf 0.11 cannot read multipart bodies with python-multipart 0.0.34
(its ``FormParser(FileClass=...)`` call fails), so every page form with a file would end in a server error.

Placed outside the CSRF middleware, this reads a multipart page post up to its ``csrftoken`` field (which
``csrf_input()`` puts before any file), refuses the post when the field is missing, comes after a file or differs
from the ``csrftoken`` cookie, and otherwise hands the token on as the ``X-CSRFToken`` header, which asgi-csrf
checks without reading the body. The body is replayed untouched. Remove it when esis_shared.web handles
multipart forms itself.
"""

from __future__ import annotations

import secrets
from typing import Any

from esis_shared.web import render
from python_multipart.multipart import FormParser
from starlette.requests import Request, cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

FIELD, COOKIE, HEADER = b"csrftoken", "csrftoken", b"x-csrftoken"


class _Found(Exception):  # noqa: N818 - a signal that stops the parser
    def __init__(self, token: str | None) -> None:
        super().__init__()
        self.token = token


class MultipartCsrfBridge:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not _page_upload(scope):
            await self.app(scope, receive, send)
            return
        token, replay = await _read_token(scope, receive)
        cookie = cookie_parser(_header(scope, b"cookie")).get(COOKIE, "")
        if not token or not cookie or not secrets.compare_digest(token, cookie):
            response = render(Request(scope), "error.html", {"kind": "csrf"}, status_code=403)
            await response(scope, replay, send)
            return
        headers = [(k, v) for k, v in scope["headers"] if k != HEADER] + [(HEADER, token.encode("latin-1"))]
        await self.app({**scope, "headers": headers}, replay, send)


def _page_upload(scope: Scope) -> bool:
    return (scope["type"] == "http" and scope["method"] == "POST" and not scope["path"].startswith("/api/")
            and _header(scope, b"content-type").startswith("multipart/form-data"))


def _header(scope: Scope, name: bytes) -> str:
    return next((v.decode("latin-1") for k, v in scope["headers"] if k == name), "")


async def _read_token(scope: Scope, receive: Receive) -> tuple[str | None, Receive]:
    """The ``csrftoken`` field if it comes before any file, and a ``receive`` that replays what was read."""
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
