"""The route table as data: which service owns a path, and which paths need no token."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Literal

from gateway.domain.errors import BadPath, UnknownService

SERVICE_NAME = re.compile(r"^[a-z][a-z0-9_-]*$")
# Top-level path segments the gateway answers itself; no service may take one of these names.
RESERVED = frozenset({"api", "docs", "healthz", "readyz", "metrics", "openapi.json", ".well-known", "static"})
DEFAULT_PUBLIC_PREFIXES = (
    "/api/identity/v1/auth",
    "/api/identity/v1/signup",  # guardians' self sign-up (throttled per phone and IP by identity, per IP here)
    "/api/identity/v1/jwks",
    "/.well-known/jwks.json",
    "/api/stats/v1/open",  # open data: public, aggregated, suppressed
)
# Extra public paths served by a service under another path (forwarded to that path).
DEFAULT_ALIASES = {"/.well-known/jwks.json": "/api/identity/v1/jwks"}


@dataclass(frozen=True)
class Target:
    """Where one request goes: ``kind`` is ``api`` for ``/api/<svc>/...`` and ``page`` for ``/<svc>/...``."""

    service: str
    kind: Literal["api", "page"]
    path: str


def path_matches(path: str, prefix: str) -> bool:
    """Segment-aware prefix test: ``/api/a`` matches ``/api/a`` and ``/api/a/x``, not ``/api/ab``."""
    prefix = prefix.rstrip("/") or "/"
    return path == prefix or path.startswith(prefix if prefix == "/" else prefix + "/")


class RouteTable:
    """Maps a request path to its service; paths go upstream unchanged except for configured aliases."""

    def __init__(self, services: Iterable[str], public_prefixes: Iterable[str] = DEFAULT_PUBLIC_PREFIXES,
                 aliases: Mapping[str, str] | None = None) -> None:
        self.services = frozenset(services)
        bad = sorted(name for name in self.services if name in RESERVED or not SERVICE_NAME.match(name))
        if bad:
            raise ValueError(f"invalid service names {bad}: lower-case, not one of {sorted(RESERVED)}")
        self.public_prefixes = tuple(public_prefixes)
        self.aliases = dict(DEFAULT_ALIASES if aliases is None else aliases)

    def resolve(self, path: str) -> Target:
        """The target of ``path``; raises UnknownService or BadPath."""
        if _has_dot_segment(path):
            raise BadPath("Paths with '.' or '..' segments are not forwarded")
        if path in self.aliases:
            return self._alias(path)
        parts = path.split("/")
        if len(parts) > 2 and parts[1] == "api":
            return self._target(parts[2], "api", path)
        return self._target(parts[1], "page", path)

    def is_public(self, path: str) -> bool:
        return any(path_matches(path, prefix) for prefix in self.public_prefixes)

    def needs_token(self, target: Target, path: str) -> bool:
        return target.kind == "api" and not self.is_public(path)

    def _alias(self, path: str) -> Target:
        upstream = self.aliases[path]
        service = upstream.split("/")[2] if upstream.startswith("/api/") else upstream.split("/")[1]
        return self._target(service, "api" if upstream.startswith("/api/") else "page", upstream)

    def _target(self, service: str, kind: Literal["api", "page"], path: str) -> Target:
        if service not in self.services:
            raise UnknownService(f"No service serves {path}", details={"service": service})
        return Target(service, kind, path)


def _has_dot_segment(path: str) -> bool:
    return any(segment in (".", "..") for segment in path.split("/"))
