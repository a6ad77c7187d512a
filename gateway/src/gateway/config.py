"""Gateway settings: ``GATEWAY_*`` environment variables (JSON for the dict and list values)."""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

from esis_shared.config import ServiceSettings, prefixed
from pydantic import Field

from gateway.domain.access import DEFAULT_ROLE_RULES
from gateway.domain.routes import DEFAULT_ALIASES, DEFAULT_PUBLIC_PREFIXES

DEV_SERVICE_URLS = {"identity": "http://127.0.0.1:8001"}
DEV_JWKS_URL = ServiceSettings.model_fields["jwks_url"].default


class Settings(ServiceSettings):
    model_config = prefixed("gateway")

    service_name: str = "gateway"
    http_port: int = 8000
    service_urls: dict[str, str] = Field(default_factory=lambda: dict(DEV_SERVICE_URLS))
    public_prefixes: list[str] = Field(default_factory=lambda: list(DEFAULT_PUBLIC_PREFIXES))
    path_aliases: dict[str, str] = Field(default_factory=lambda: dict(DEFAULT_ALIASES))
    role_rules: dict[str, list[str]] = Field(
        default_factory=lambda: {prefix: sorted(roles) for prefix, roles in DEFAULT_ROLE_RULES.items()})
    connect_timeout: float = 2.0
    read_timeout: float = 30.0
    write_timeout: float = 30.0
    pool_timeout: float = 5.0
    max_connections: int = 200
    max_keepalive_connections: int = 50
    # Forwarding spreads over this many pooled clients (the limits above are shared out among them): httpcore
    # scans its whole pool, quadratically, twice per request, so four small pools cost far less than one big one.
    upstream_lanes: int = 4
    health_timeout: float = 1.0
    openapi_timeout: float = 3.0
    openapi_cache_seconds: float = 30.0
    rate_limit_per_second: float = 20.0
    rate_limit_burst: int = 60
    rate_limit_max_clients: int = 100_000
    token_cache_seconds: float = 60.0
    token_cache_size: int = 50_000
    trusted_proxies: int = 0
    preserve_host: bool = True

    def production_problems(self) -> list[str]:
        """Why this configuration must not run with ``GATEWAY_PROFILE=production`` (empty when it may)."""
        if not self.is_production:
            return []
        problems = _jwt_problems(self)
        problems += [f"GATEWAY_SERVICE_URLS[{name!r}] points at a development address ({url})"
                     for name, url in self.service_urls.items() if _is_loopback(url)]
        if self.service_urls == DEV_SERVICE_URLS:
            problems.append("GATEWAY_SERVICE_URLS is the development default")
        if self.rate_limit_per_second <= 0 or self.rate_limit_burst <= 0:
            problems.append("rate limiting is disabled (GATEWAY_RATE_LIMIT_PER_SECOND / _BURST must be > 0)")
        if self.tracing_exporter == "memory":
            problems.append("GATEWAY_TRACING_EXPORTER=memory is for tests")
        return problems


def _jwt_problems(settings: Settings) -> list[str]:
    problems = []
    if not settings.jwks_url:
        problems.append("GATEWAY_JWKS_URL is not set")
    elif settings.jwks_url == DEV_JWKS_URL or _is_loopback(settings.jwks_url):
        problems.append(f"GATEWAY_JWKS_URL is a development address ({settings.jwks_url})")
    elif urlsplit(settings.jwks_url).scheme not in ("http", "https"):
        problems.append(f"GATEWAY_JWKS_URL must be an http(s) URL ({settings.jwks_url})")
    if not settings.jwt_issuer or not settings.jwt_audience:
        problems.append("GATEWAY_JWT_ISSUER and GATEWAY_JWT_AUDIENCE must be set")
    return problems


def _is_loopback(url: str) -> bool:
    host = urlsplit(url).hostname or ""
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return False
    return address.is_loopback or address.is_unspecified
