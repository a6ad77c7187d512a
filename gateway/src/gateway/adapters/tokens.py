"""Token verification off the event loop, with a short cache of tokens already verified.

The verifier (``esis_shared.auth.JwksVerifier``) is synchronous and may fetch the JWKS over HTTP, so a cache
miss runs in a worker thread. A cached entry is keyed by the whole token (signature included), so a
tampered token never hits it, and it never outlives the token's own ``exp``.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import anyio.to_thread
from esis_shared.auth import Principal, TokenVerifier

Clock = Callable[[], float]


class TokenAuthenticator:
    def __init__(self, verifier: TokenVerifier, *, cache_seconds: float = 60.0, cache_size: int = 50_000,
                 clock: Clock = time.time) -> None:
        self.verifier = verifier
        self.cache_seconds = cache_seconds
        self.cache_size = cache_size
        self.clock = clock
        self._cache: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    async def authenticate(self, token: str) -> Principal:
        """The principal of a valid token; raises the verifier's ``ApiError`` (401, or 503 without keys)."""
        cached = self._cached(token)
        if cached is not None:
            return cached
        principal = await anyio.to_thread.run_sync(self.verifier.verify, token)
        self._remember(token, principal)
        return principal

    def _cached(self, token: str) -> Principal | None:
        entry = self._cache.get(token)
        if entry is None:
            return None
        if entry[1] <= self.clock():
            del self._cache[token]
            return None
        return entry[0]

    def _remember(self, token: str, principal: Principal) -> None:
        if self.cache_seconds <= 0 or self.cache_size <= 0:
            return
        until = self.clock() + self.cache_seconds
        expires = token_expiry(token)
        self._cache[token] = (principal, min(until, expires) if expires is not None else until)
        while len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)


def token_expiry(token: str) -> float | None:
    """The ``exp`` claim of a JWS compact token (read without verifying: call only after verification)."""
    try:
        payload = token.split(".")[1]
        claims: Any = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, binascii.Error):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    return float(exp) if isinstance(exp, int | float) else None
