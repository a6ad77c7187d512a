"""identity's settings: environment variables ``IDENTITY_*`` (see README.md for the full list)."""

from __future__ import annotations

from pathlib import Path

from esis_shared.config import ServiceSettings, prefixed

from identity.adapters.tokens import is_dev_key
from identity.domain.credentials import check_password
from identity.domain.errors import WeakPassword

DEV_SIGNING_KEY_FILE = ".run/identity-signing-key.pem"
DEV_BOOTSTRAP_ADMIN_PASSWORD = "change-me-dev-2026"


class Settings(ServiceSettings):
    model_config = prefixed("identity")

    service_name: str = "identity"
    http_port: int = 8001
    grpc_port: int | None = 9001
    database_url: str = "sqlite:///.run/identity.db"
    migrate_on_start: bool = True  # production runs the migration Job and sets this to false

    access_ttl_s: int = 900
    refresh_ttl_s: int = 14 * 24 * 3600
    activation_ttl_s: int = 30 * 24 * 3600  # one-time codes of accounts created without a password
    lockout_threshold: int = 5
    # RabbitMQ of the notify service: sign-up codes go out as SMS through notify (esis_shared.amqp_outbox relay).
    amqp_url: str = "amqp://guest:guest@127.0.0.1:5672/"
    amqp_enabled: bool = True
    # Proxies in front of identity whose X-Forwarded-For entries are believed (1: the gateway); 0 when clients reach
    # identity directly. Used for the per-IP sign-up throttle and the sign-in audit.
    trusted_proxies: int = 1
    lockout_minutes: int = 15

    # PEM file of the RSA private key that signs access tokens. Unset in dev: a key is generated at first start
    # into DEV_SIGNING_KEY_FILE and marked as a development key. Production requires an explicit, unmarked key.
    signing_key_file: str | None = None

    # A ministry account created at start-up when no account has this username; empty password: none created.
    bootstrap_admin_username: str = "admin"
    bootstrap_admin_password: str = DEV_BOOTSTRAP_ADMIN_PASSWORD
    bootstrap_admin_name: str = "Platform administrator"

    @property
    def signing_key_path(self) -> Path:
        return Path(self.signing_key_file or DEV_SIGNING_KEY_FILE)


class InsecureConfiguration(RuntimeError):
    """The production profile was asked to start with development keys or default passwords."""


def production_problems(settings: Settings) -> list[str]:
    """What makes these settings unsafe for production; empty when they are fine."""
    problems = []
    if not settings.signing_key_file:
        problems.append("IDENTITY_SIGNING_KEY_FILE is not set: production needs an explicit RSA private key (PEM)")
    elif not settings.signing_key_path.is_file():
        problems.append(f"IDENTITY_SIGNING_KEY_FILE={settings.signing_key_file} does not exist")
    elif is_dev_key(settings.signing_key_path):
        problems.append(f"IDENTITY_SIGNING_KEY_FILE={settings.signing_key_file} is a development key generated "
                        "by identity; create a real one: openssl genpkey -algorithm RSA "
                        "-pkeyopt rsa_keygen_bits:3072")
    if settings.amqp_enabled and "guest:guest@" in settings.amqp_url:
        problems.append("IDENTITY_AMQP_URL uses RabbitMQ's default guest login")
    password = settings.bootstrap_admin_password
    if password == DEV_BOOTSTRAP_ADMIN_PASSWORD:
        problems.append("IDENTITY_BOOTSTRAP_ADMIN_PASSWORD is the development default; set a strong one, or set it "
                        "empty to create no bootstrap account")
    elif password:
        try:
            check_password(password, username=settings.bootstrap_admin_username)
        except WeakPassword as exc:
            problems.append(f"IDENTITY_BOOTSTRAP_ADMIN_PASSWORD is too weak: {exc.message}")
    return problems


def ensure_safe_for_profile(settings: Settings) -> None:
    if not settings.is_production:
        return
    problems = production_problems(settings)
    if problems:
        raise InsecureConfiguration("identity refuses to start in the production profile:\n  - "
                                    + "\n  - ".join(problems))
