"""Composition root: settings → engine, session factory, unit of work, hasher, token issuer, handlers.

The ``Container`` is what entry points use (``app.state.container`` for the API and the login page)::

    pair = container.login(username, password, client_ip)   # TokenPair, or raises identity.domain.errors.*
    container.logout(refresh_token)
    container.verifier.verify(access_token)                 # -> esis_shared.auth.Principal

Errors raised by ``login`` are ``IdentityError`` subclasses carrying ``code``, ``message`` (English),
``message_mn`` (Mongolian) and ``details`` (e.g. ``retry_after_s`` for a lockout).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial
from pathlib import Path
from typing import Any

from esis_shared.auth import StaticKeyVerifier
from esis_shared.db import make_engine, make_session_factory, migrate
from joserfc.jwk import RSAKey
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from identity.adapters.passwords import Argon2Hasher
from identity.adapters.tokens import JwtTokenIssuer, generate_dev_key, load_signing_key
from identity.config import Settings, ensure_safe_for_profile
from identity.domain.model import Account, LockoutPolicy, Role
from identity.service_layer import accounts, sessions, signup
from identity.service_layer.commands import (
    ActivateAccount,
    ChangePassword,
    ChangeScopes,
    CreateAccount,
    CreateAccounts,
    DisableAccount,
    IssueActivation,
    LockAccount,
    Login,
    Logout,
    Refresh,
    ResendSignupCode,
    StartSignup,
    UnlockAccount,
    VerifySignup,
)
from identity.service_layer.ports import Deps, PasswordHasher
from identity.service_layer.sessions import TokenPair
from identity.service_layer.unit_of_work import UnitOfWork

log = logging.getLogger(__name__)
MIGRATIONS_DIR = Path(__file__).parent / "migrations"

HANDLERS: dict[type, Callable[[Any, Deps], Any]] = {
    CreateAccount: accounts.create_account,
    ChangeScopes: accounts.change_scopes,
    LockAccount: accounts.lock_account,
    UnlockAccount: accounts.unlock_account,
    DisableAccount: accounts.disable_account,
    Login: sessions.login,
    Refresh: sessions.refresh,
    Logout: sessions.logout,
    ChangePassword: sessions.change_password,
    CreateAccounts: accounts.create_accounts,
    IssueActivation: accounts.issue_activation,
    ActivateAccount: sessions.activate,
    StartSignup: signup.start,
    ResendSignupCode: signup.resend,
    VerifySignup: signup.verify,
}


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Container:
    settings: Settings
    engine: Engine
    sessions: sessionmaker[Session]
    deps: Deps
    tokens: JwtTokenIssuer
    verifier: StaticKeyVerifier

    def handle(self, command: object) -> Any:
        return HANDLERS[type(command)](command, self.deps)

    def login(self, username: str, password: str, client_ip: str | None = None) -> TokenPair:
        return sessions.login(Login(username, password, client_ip), self.deps)

    def refresh(self, refresh_token: str) -> TokenPair:
        return sessions.refresh(Refresh(refresh_token), self.deps)

    def logout(self, refresh_token: str) -> None:
        sessions.logout(Logout(refresh_token), self.deps)

    def jwks(self) -> dict[str, Any]:
        return self.tokens.jwks()

    def ensure_bootstrap_admin(self) -> Account | None:
        s = self.settings
        if not s.bootstrap_admin_password:
            return None
        created = accounts.ensure_account(CreateAccount(
            actor_id=None, username=s.bootstrap_admin_username, password=s.bootstrap_admin_password,
            role=Role.MINISTRY.value, display_name=s.bootstrap_admin_name), self.deps)
        if created is not None:
            log.info("created the bootstrap ministry account %s", created.username)
        return created

    def close(self) -> None:
        self.engine.dispose()


def signing_key_for(settings: Settings) -> RSAKey:
    path = settings.signing_key_path
    if not path.exists() and not settings.signing_key_file:
        generate_dev_key(path)
        log.warning("generated a development signing key at %s", path)
    return load_signing_key(path)


def bootstrap(settings: Settings | None = None, *, engine: Engine | None = None,
              hasher: PasswordHasher | None = None, clock: Callable[[], datetime] = utc_now,
              run_migrations: bool = False) -> Container:
    """Build the container; refuses unsafe production settings before touching anything."""
    settings = settings or Settings()
    ensure_safe_for_profile(settings)
    if run_migrations:
        migrate(settings.database_url, MIGRATIONS_DIR)
    engine = engine or make_engine(settings.database_url)
    tokens = JwtTokenIssuer(signing_key_for(settings), issuer=settings.jwt_issuer, audience=settings.jwt_audience,
                            access_ttl_s=settings.access_ttl_s)
    sessions = make_session_factory(engine)
    deps = Deps(uow=partial(UnitOfWork, sessions), hasher=hasher or Argon2Hasher(),
                tokens=tokens, lockout=LockoutPolicy(settings.lockout_threshold, settings.lockout_minutes),
                refresh_ttl=timedelta(seconds=settings.refresh_ttl_s), clock=clock,
                activation_ttl=timedelta(seconds=settings.activation_ttl_s))
    verifier = StaticKeyVerifier(tokens.jwks(), issuer=settings.jwt_issuer, audience=settings.jwt_audience,
                                 clock=lambda: clock().timestamp())
    return Container(settings=settings, engine=engine, sessions=sessions, deps=deps, tokens=tokens,
                     verifier=verifier)
