"""The merged OpenAPI document, built from each service's own, cached briefly per service."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import httpx

from gateway.adapters.upstream import Upstreams
from gateway.domain.openapi import merge_openapi

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class DocInfo:
    title: str = "open ESIS API"
    version: str = "1"
    description: str = "Every open ESIS service behind one gateway. Sign in at /api/identity/v1/auth/login."


class OpenApiCatalog:
    """Fetches every service's ``/openapi.json`` at most once per ``ttl`` seconds.

    A service that does not answer keeps its last good document; one never seen is listed as unavailable.
    """

    def __init__(self, upstreams: Upstreams, *, ttl: float, public_prefixes: Iterable[str], info: DocInfo,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.upstreams = upstreams
        self.ttl = ttl
        self.public_prefixes = tuple(public_prefixes)
        self.info = info
        self.clock = clock
        self._cache: dict[str, tuple[dict[str, Any], float]] = {}

    async def document(self) -> dict[str, Any]:
        names = sorted(self.upstreams.urls)
        fetched = await asyncio.gather(*(self._doc(name) for name in names))
        docs = {name: doc for name, doc in zip(names, fetched, strict=True) if doc is not None}
        return merge_openapi(docs, title=self.info.title, version=self.info.version,
                             description=self.info.description, public_prefixes=self.public_prefixes,
                             unavailable=[name for name in names if name not in docs])

    async def _doc(self, service: str) -> dict[str, Any] | None:
        cached = self._cache.get(service)
        now = self.clock()
        if cached is not None and now - cached[1] < self.ttl:
            return cached[0]
        try:
            doc = await self.upstreams.openapi(service)
        except (httpx.HTTPError, ValueError) as exc:
            log.warning("no OpenAPI document from %s: %s", service, type(exc).__name__)
            return cached[0] if cached else None
        self._cache[service] = (doc, now)
        return doc
