"""Fixtures for the gateway's tests: one RSA signing key per session and a token factory."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from esis_shared.auth import Principal, StaticKeyVerifier, jwks_document, sign_access_token
from joserfc.jwk import RSAKey

ISSUER = "esis-identity"
AUDIENCE = "esis"
TokenFactory = Callable[..., str]


@pytest.fixture(scope="session")
def signing_key() -> RSAKey:
    return RSAKey.generate_key(2048, private=True)


@pytest.fixture(scope="session")
def jwks(signing_key: RSAKey) -> dict:
    return jwks_document([signing_key])


@pytest.fixture(scope="session")
def verifier(jwks: dict) -> StaticKeyVerifier:
    return StaticKeyVerifier(jwks, issuer=ISSUER, audience=AUDIENCE)


@pytest.fixture(scope="session")
def issue(signing_key: RSAKey) -> TokenFactory:
    """``issue(role="teacher", subject="u1", ttl_s=300, now=None, key=None) -> token``."""

    def make(role: str = "teacher", subject: str = "acc-1", ttl_s: int = 300, now: int | None = None,
             key: RSAKey | None = None) -> str:
        principal = Principal(subject=subject, role=role)
        return sign_access_token(principal, key or signing_key, issuer=ISSUER, audience=AUDIENCE, ttl_s=ttl_s,
                                 now=int(time.time()) if now is None else now)

    return make


def tamper(token: str) -> str:
    """The same token with one payload character changed (signature no longer matches)."""
    header, payload, signature = token.split(".")
    flipped = ("A" if payload[5] != "A" else "B")
    return ".".join([header, payload[:5] + flipped + payload[6:], signature])


@pytest.fixture(scope="session")
def tampered() -> Callable[[str], str]:
    return tamper
