"""Deterministic building blocks: seeded random streams, ids, and largest-remainder allocation."""

from __future__ import annotations

import math
import random
import uuid
from collections.abc import Sequence


def stream(seed: int, *parts: object) -> random.Random:
    """An independent random stream per (seed, parts): str seeds hash with SHA-512, stable across runs."""
    return random.Random(":".join(map(str, (seed, *parts))))


def new_id(rng: random.Random) -> str:
    """A version-4-shaped UUID drawn from ``rng``: deterministic for a seed, unique in practice."""
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def largest_remainder(total: int, weights: Sequence[float]) -> list[int]:
    """Split ``total`` into integers proportional to ``weights`` that add up to exactly ``total``."""
    weight_sum = float(sum(weights))
    if total <= 0 or weight_sum <= 0:
        return [0] * len(weights)
    exact = [total * w / weight_sum for w in weights]
    shares = [math.floor(x) for x in exact]
    by_remainder = sorted(range(len(weights)), key=lambda i: (shares[i] - exact[i], i))
    for i in by_remainder[: total - sum(shares)]:
        shares[i] += 1
    return shares


def with_floor(total: int, weights: Sequence[float], floor: int) -> list[int]:
    """Like ``largest_remainder`` but every share is at least ``floor`` (the total grows if it must)."""
    spare = total - floor * len(weights)
    if spare >= 0:
        return [floor + share for share in largest_remainder(spare, weights)]
    return [max(share, floor) for share in largest_remainder(total, weights)]


def pick_weighted(rng: random.Random, options: dict[str, float]) -> str:
    return rng.choices(list(options), weights=list(options.values()))[0]
