"""Settings base shared by every service: one prefix per service, the same fields everywhere."""

from __future__ import annotations

from typing import Literal

from pydantic_settings import BaseSettings, SettingsConfigDict


class ServiceSettings(BaseSettings):
    """Subclass per service and set ``model_config = SettingsConfigDict(env_prefix="<NAME>_")``."""

    model_config = SettingsConfigDict(extra="ignore")

    service_name: str = "service"
    profile: Literal["dev", "production"] = "dev"
    http_host: str = "127.0.0.1"
    http_port: int = 8080
    grpc_port: int | None = None
    database_url: str = "sqlite:///:memory:"
    kafka_bootstrap: str = "127.0.0.1:19092"
    kafka_enabled: bool = True
    jwks_url: str = "http://127.0.0.1:8001/api/identity/v1/jwks"
    jwt_issuer: str = "esis-identity"
    jwt_audience: str = "esis"
    tracing_exporter: Literal["none", "console", "otlp", "memory"] = "none"
    log_level: str = "INFO"
    log_json: bool = True
    proto_dir: str | None = None

    @property
    def is_production(self) -> bool:
        return self.profile == "production"


def prefixed(prefix: str) -> SettingsConfigDict:
    """Config dict for a service's settings class: ``<PREFIX>_FIELD`` environment variables."""
    return SettingsConfigDict(env_prefix=f"{prefix.upper()}_", extra="ignore")
