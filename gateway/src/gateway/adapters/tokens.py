"""Token verification off the event loop, with esis_shared's cache of tokens already verified.

The verifier (``esis_shared.auth.JwksVerifier``) is synchronous and may fetch the JWKS over HTTP, so a cache
miss runs in a worker thread; a hit (``CachedVerifier``: keyed by the whole token, never outliving its ``exp``)
is answered on the event loop.
"""

from __future__ import annotations

import time
from collections.abc import Callable

import anyio.to_thread
from esis_shared.auth import CachedVerifier, Principal, TokenVerifier

Clock = Callable[[], float]


class TokenAuthenticator:
    def __init__(self, verifier: TokenVerifier, *, cache_seconds: float = 60.0, cache_size: int = 50_000,
                 clock: Clock = time.time) -> None:
        self.cache = CachedVerifier(verifier, cache_seconds=cache_seconds, cache_size=cache_size, clock=clock)

    async def authenticate(self, token: str) -> Principal:
        """The principal of a valid token; raises the verifier's ``ApiError`` (401, or 503 without keys)."""
        cached = self.cache.cached(token)
        if cached is not None:
            return cached
        return await anyio.to_thread.run_sync(self.cache.verify, token)
