import asyncio

import pytest
from esis_shared.auth import Principal, token_expiry
from esis_shared.errors import Unauthorized
from gateway.adapters.tokens import TokenAuthenticator


class CountingVerifier:
    def __init__(self, inner) -> None:
        self.inner = inner
        self.calls = 0

    def verify(self, token: str) -> Principal:
        self.calls += 1
        return self.inner.verify(token)


class Clock:
    def __init__(self, now: float) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def test_a_verified_token_is_served_from_the_cache(verifier, issue) -> None:
    counting = CountingVerifier(verifier)
    auth = TokenAuthenticator(counting, cache_seconds=60)
    token = issue(role="parent", subject="p-1")
    first = asyncio.run(auth.authenticate(token))
    second = asyncio.run(auth.authenticate(token))
    assert first == second and first.subject == "p-1" and first.role == "parent"
    assert counting.calls == 1


def test_cache_entries_never_outlive_the_token(verifier, issue) -> None:
    counting = CountingVerifier(verifier)
    token = issue(ttl_s=300)
    clock = Clock(token_expiry(token) - 5)
    auth = TokenAuthenticator(counting, cache_seconds=60, clock=clock)
    auth.cache._remember(token, Principal(subject="acc-1", role="teacher"))
    assert auth.cache.cached(token) is not None
    clock.now += 5
    assert auth.cache.cached(token) is None


def test_bad_tokens_are_rejected_and_not_cached(verifier, issue, tampered) -> None:
    counting = CountingVerifier(verifier)
    auth = TokenAuthenticator(counting)
    bad = tampered(issue())
    for _ in range(2):
        with pytest.raises(Unauthorized):
            asyncio.run(auth.authenticate(bad))
    assert counting.calls == 2


def test_token_expiry_reads_exp_and_tolerates_garbage(issue) -> None:
    assert token_expiry(issue(now=1_000_000, ttl_s=60)) == 1_000_060
    assert token_expiry("not-a-token") is None
    assert token_expiry("a.!!!.c") is None
