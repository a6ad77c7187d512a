"""Per-client token buckets, in process: with N gateway replicas the effective limit is N times this one."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

Clock = Callable[[], float]


@dataclass
class Bucket:
    tokens: float
    updated: float


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: float = 0.0


class RateLimiter:
    """``rate`` tokens per second refill a bucket of ``burst`` tokens; each request takes one.

    Buckets of the least recently seen clients are dropped beyond ``max_clients``: an idle client's bucket
    is full again by then, so forgetting it never grants more than a burst.
    """

    def __init__(self, rate: float, burst: int, *, clock: Clock = time.monotonic, max_clients: int = 100_000) -> None:
        self.rate = rate
        self.burst = float(burst)
        self.clock = clock
        self.max_clients = max_clients
        self._buckets: OrderedDict[str, Bucket] = OrderedDict()

    @property
    def enabled(self) -> bool:
        return self.rate > 0 and self.burst > 0

    def check(self, client: str) -> Decision:
        if not self.enabled:
            return Decision(True)
        bucket = self._refilled(client)
        if bucket.tokens >= 1:
            bucket.tokens -= 1
            return Decision(True)
        return Decision(False, (1 - bucket.tokens) / self.rate)

    def _refilled(self, client: str) -> Bucket:
        now = self.clock()
        bucket = self._buckets.pop(client, None) or Bucket(self.burst, now)
        bucket.tokens = min(self.burst, bucket.tokens + (now - bucket.updated) * self.rate)
        bucket.updated = now
        self._buckets[client] = bucket
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        return bucket
