"""notify's settings: environment variables ``NOTIFY_*``."""

from __future__ import annotations

from typing import Literal

from esis_shared.config import ServiceSettings, prefixed


class Settings(ServiceSettings):
    model_config = prefixed("notify")

    service_name: str = "notify"
    http_port: int = 8010  # health only (nameko's own HTTP server)
    database_url: str = "sqlite:///.run/notify.db"
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    migrate_on_start: bool = True

    # "file": every message is appended to outbox_file (development); "gateways": the URLs below.
    provider_mode: Literal["file", "gateways"] = "file"
    outbox_file: str = ".run/notify-outbox.jsonl"
    sms_gateway_url: str = ""
    push_gateway_url: str = ""
    smtp_url: str = ""

    flush_interval_s: float = 5.0
    attempts_per_channel: int = 4
    first_backoff_s: float = 30.0
    max_backoff_s: float = 3600.0

    def nameko_config(self) -> dict[str, object]:
        return {"AMQP_URI": self.amqp_url, "WEB_SERVER_ADDRESS": f"{self.http_host}:{self.http_port}",
                "NOTIFY_DATABASE_URL": self.database_url, "NOTIFY_PROVIDER_MODE": self.provider_mode,
                "NOTIFY_OUTBOX_FILE": self.outbox_file, "NOTIFY_SMS_GATEWAY_URL": self.sms_gateway_url,
                "NOTIFY_PUSH_GATEWAY_URL": self.push_gateway_url, "NOTIFY_SMTP_URL": self.smtp_url,
                "NOTIFY_FLUSH_INTERVAL_S": self.flush_interval_s,
                "NOTIFY_RETRY": [self.attempts_per_channel, self.first_backoff_s, self.max_backoff_s]}


class InsecureConfiguration(RuntimeError):
    """The production profile was asked to write notifications to a file or to use the default broker login."""


def ensure_safe_for_profile(settings: Settings) -> None:
    if not settings.is_production:
        return
    problems = []
    if settings.provider_mode == "file":
        problems.append("NOTIFY_PROVIDER_MODE=file writes messages to a file; set gateways and their URLs")
    if "guest:guest@" in settings.amqp_url:
        problems.append("NOTIFY_AMQP_URL uses RabbitMQ's default guest login")
    if problems:
        raise InsecureConfiguration("notify refuses to start in the production profile:\n  - "
                                    + "\n  - ".join(problems))
