"""Errors the gateway answers itself, in the platform's one JSON error shape."""

from __future__ import annotations

import math

from esis_shared.errors import ApiError, NotFound


class UnknownService(NotFound):
    """No configured service owns the path."""


class BadPath(ApiError):
    status_code = 400
    code = "bad_request"


class ServiceUnavailable(ApiError):
    status_code = 502
    code = "service_unavailable"

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(f"The {service} service is not reachable", details={"service": service, "reason": reason})


class UpstreamTimeout(ApiError):
    status_code = 504
    code = "upstream_timeout"

    def __init__(self, service: str, reason: str) -> None:
        super().__init__(f"The {service} service did not answer in time",
                         details={"service": service, "reason": reason})


class RateLimited(ApiError):
    status_code = 429
    code = "rate_limited"

    def __init__(self, retry_after: float) -> None:
        seconds = max(1, math.ceil(retry_after))
        super().__init__(f"Too many requests; retry in {seconds} s", details={"retry_after": seconds})
        self.headers = {"Retry-After": str(seconds)}
