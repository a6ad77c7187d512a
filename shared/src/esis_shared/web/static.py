"""Static files of a service: its own folder first, then the shared one, under ``/<service>/static``.

URLs made by :meth:`StaticAssets.url` carry a content hash (``esis.css?v=1a2b3c4d5e``) and are cached by
browsers for a year, so a phone on a slow soum connection downloads the stylesheet once per release.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path

from starlette.responses import Response
from starlette.staticfiles import StaticFiles
from starlette.types import Scope

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "no-cache"


class StaticAssets:
    """Where a service's static files live and how pages link to them."""

    def __init__(self, prefix: str, directories: Sequence[Path]) -> None:
        self.prefix = prefix.rstrip("/")
        self.directories = [Path(d) for d in directories if Path(d).is_dir()]
        self._versions: dict[str, str] = {}

    def find(self, name: str) -> Path | None:
        for folder in self.directories:
            candidate = folder / name
            if candidate.is_file():
                return candidate
        return None

    def url(self, name: str) -> str:
        """``/<service>/static/<name>?v=<hash of the file>``."""
        if name not in self._versions:
            path = self.find(name)
            if path is None:
                raise FileNotFoundError(f"static file {name!r} not in {[str(d) for d in self.directories]}")
            self._versions[name] = hashlib.sha256(path.read_bytes()).hexdigest()[:10]
        return f"{self.prefix}/{name}?v={self._versions[name]}"

    def app(self) -> StaticFiles:
        return _CachedStaticFiles(self.directories)


class _CachedStaticFiles(StaticFiles):
    """Starlette's StaticFiles over several folders, with caching headers for versioned URLs."""

    def __init__(self, directories: Sequence[Path]) -> None:
        super().__init__(directory=None, check_dir=False)
        self.all_directories = [os.fspath(d) for d in directories]

    def file_response(self, full_path: str | os.PathLike[str], stat_result: os.stat_result, scope: Scope,
                      status_code: int = 200) -> Response:
        response = super().file_response(full_path, stat_result, scope, status_code)
        versioned = b"v=" in scope.get("query_string", b"")
        response.headers["Cache-Control"] = IMMUTABLE if versioned else REVALIDATE
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response
