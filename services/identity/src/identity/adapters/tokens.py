"""The signing key, access tokens (RS256 JWT, see esis_shared.auth) and opaque refresh tokens."""

from __future__ import annotations

import hashlib
import os
import secrets
from datetime import datetime
from pathlib import Path
from typing import Any

from esis_shared.auth import Principal, StaticKeyVerifier, jwks_document, sign_access_token
from joserfc.jwk import RSAKey

from identity.domain.model import Account

DEV_KEY_MARKER = "# esis-identity DEVELOPMENT signing key, generated at first start; never use in production"
MIN_KEY_BITS = 2048


class SigningKeyError(RuntimeError):
    pass


def is_dev_key(path: Path) -> bool:
    with path.open("rb") as fh:
        return fh.readline().decode("utf-8", "replace").strip() == DEV_KEY_MARKER


def generate_dev_key(path: Path) -> None:
    """Write a new RSA key marked as development-only; a concurrent start that lost the race keeps the winner's."""
    path.parent.mkdir(parents=True, exist_ok=True)
    pem = RSAKey.generate_key(MIN_KEY_BITS, private=True).as_pem(private=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return
    with os.fdopen(fd, "wb") as fh:
        fh.write(DEV_KEY_MARKER.encode() + b"\n" + pem)


def load_signing_key(path: Path) -> RSAKey:
    try:
        key = RSAKey.import_key(path.read_bytes())
    except (OSError, ValueError) as exc:
        raise SigningKeyError(f"cannot read the RSA signing key {path}: {exc}") from exc
    if not key.is_private:
        raise SigningKeyError(f"{path} holds a public key; identity needs the private key to sign tokens")
    if key.private_key.key_size < MIN_KEY_BITS:  # type: ignore[union-attr]
        raise SigningKeyError(f"{path}: RSA keys of at least {MIN_KEY_BITS} bits are required")
    return key


def principal_of(account: Account) -> Principal:
    return Principal(subject=account.id, role=account.role.value, org_ids=account.scopes.org_ids,
                     class_ids=account.scopes.class_ids, child_ids=account.scopes.child_ids,
                     username=account.username, name=account.display_name)


class JwtTokenIssuer:
    def __init__(self, key: RSAKey, *, issuer: str, audience: str, access_ttl_s: int) -> None:
        self.key = key
        self.issuer = issuer
        self.audience = audience
        self.access_ttl_s = access_ttl_s

    def access_token(self, account: Account, now: datetime) -> str:
        return sign_access_token(principal_of(account), self.key, issuer=self.issuer, audience=self.audience,
                                 ttl_s=self.access_ttl_s, now=int(now.timestamp()))

    def new_refresh_token(self) -> str:
        return secrets.token_urlsafe(32)

    def hash_refresh_token(self, token: str) -> str:
        # 256 random bits need no slow hash: SHA-256 is enough to make a stolen table useless.
        return hashlib.sha256(token.encode()).hexdigest()

    def jwks(self) -> dict[str, Any]:
        return jwks_document([self.key])

    def verifier(self, leeway: int = 10) -> StaticKeyVerifier:
        return StaticKeyVerifier(self.jwks(), issuer=self.issuer, audience=self.audience, leeway=leeway)
