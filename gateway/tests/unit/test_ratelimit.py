import pytest
from gateway.domain.errors import RateLimited
from gateway.domain.ratelimit import RateLimiter


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def test_a_client_may_send_a_burst_then_is_limited(clock: FakeClock) -> None:
    limiter = RateLimiter(rate=2, burst=3, clock=clock)
    assert [limiter.check("a").allowed for _ in range(4)] == [True, True, True, False]


def test_retry_after_is_the_time_until_the_next_token(clock: FakeClock) -> None:
    limiter = RateLimiter(rate=2, burst=1, clock=clock)
    limiter.check("a")
    clock.now += 0.1
    assert limiter.check("a").retry_after == pytest.approx(0.4)


def test_tokens_refill_at_the_rate_up_to_the_burst(clock: FakeClock) -> None:
    limiter = RateLimiter(rate=2, burst=3, clock=clock)
    for _ in range(3):
        limiter.check("a")
    clock.now += 0.5
    assert limiter.check("a").allowed
    assert not limiter.check("a").allowed
    clock.now += 3600
    assert [limiter.check("a").allowed for _ in range(4)] == [True, True, True, False]


def test_clients_have_separate_buckets(clock: FakeClock) -> None:
    limiter = RateLimiter(rate=1, burst=1, clock=clock)
    assert limiter.check("sub:a").allowed
    assert not limiter.check("sub:a").allowed
    assert limiter.check("sub:b").allowed


def test_forgotten_idle_clients_start_with_a_full_bucket(clock: FakeClock) -> None:
    limiter = RateLimiter(rate=1, burst=1, clock=clock, max_clients=2)
    limiter.check("a")
    limiter.check("b")
    limiter.check("c")
    assert len(limiter._buckets) == 2
    assert limiter.check("a").allowed


def test_zero_rate_disables_limiting(clock: FakeClock) -> None:
    limiter = RateLimiter(rate=0, burst=0, clock=clock)
    assert all(limiter.check("a").allowed for _ in range(1000))


def test_rate_limited_error_carries_whole_seconds_in_retry_after() -> None:
    error = RateLimited(0.2)
    assert error.status_code == 429
    assert error.code == "rate_limited"
    assert error.headers == {"Retry-After": "1"}
    assert RateLimited(2.01).headers == {"Retry-After": "3"}
