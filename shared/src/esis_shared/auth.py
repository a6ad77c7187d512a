"""Access tokens: who the caller is (``Principal``), JWT verification against a JWKS, FastAPI dependencies.

Tokens are JWS compact serialisations signed with **RS256** (RSA 2048+, PKCS#1 v1.5, SHA-256). RS256 is
chosen over EdDSA because every JWT library, API gateway and language verifies it, and joserfc flags the
generic ``EdDSA`` algorithm as deprecated (RFC 9864) while its replacement is not yet widely supported.
Only RS256 is accepted on verification, so ``alg: none`` and HMAC-with-the-public-key confusion fail.

Claims of an access token::

    sub   account id              role  role name            typ  "access"
    org   [org ids]               cls   [class ids]          chd  [child (learner) ids]
    name  display name            preferred_username         iss, aud, exp, iat, jti

The meaning of roles and scopes belongs to the services; this module only carries them.
"""

# No ``from __future__ import annotations`` here: FastAPI must resolve the ``Annotated`` dependency that
# ``require_roles`` builds in a closure, which it can only do from a real annotation object.

import base64
import binascii
import json
import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Protocol, Self

import httpx
from fastapi import Depends, Request
from joserfc import jwt
from joserfc.errors import ClaimError, ExpiredTokenError, JoseError
from joserfc.jwk import KeySet, RSAKey
from joserfc.jwt import JWTClaimsRegistry
from starlette.concurrency import run_in_threadpool

from esis_shared.errors import ApiError, Forbidden, Unauthorized

log = logging.getLogger(__name__)

ALGORITHM = "RS256"
ACCESS_TOKEN_TYPE = "access"
SESSION_COOKIE = "esis_session"
_ALGORITHMS = [ALGORITHM]
_LIST_CLAIMS = ("org", "cls", "chd")
_COLD_RETRY_SECONDS = 1.0  # without any cached key, retry the JWKS at most once a second


@dataclass(frozen=True)
class Principal:
    """The authenticated caller, as carried by an access token."""

    subject: str
    role: str
    org_ids: frozenset[str] = field(default_factory=frozenset)
    class_ids: frozenset[str] = field(default_factory=frozenset)
    child_ids: frozenset[str] = field(default_factory=frozenset)
    username: str = ""
    name: str = ""

    def has_role(self, *roles: str) -> bool:
        return self.role in roles

    def in_org(self, org_id: str) -> bool:
        return org_id in self.org_ids

    def can_class(self, class_id: str) -> bool:
        return class_id in self.class_ids

    def can_child(self, child_id: str) -> bool:
        return child_id in self.child_ids


# ---------------------------------------------------------------- claims and signing (used by identity and tests)

def access_claims(principal: Principal, *, issuer: str, audience: str, ttl_s: int,
                  now: int | None = None, jti: str | None = None) -> dict[str, Any]:
    issued = int(time.time()) if now is None else now
    return {
        "sub": principal.subject, "role": principal.role,
        "org": sorted(principal.org_ids), "cls": sorted(principal.class_ids), "chd": sorted(principal.child_ids),
        "name": principal.name, "preferred_username": principal.username,
        "iss": issuer, "aud": audience, "iat": issued, "exp": issued + ttl_s,
        "jti": jti or uuid.uuid4().hex, "typ": ACCESS_TOKEN_TYPE,
    }


def key_id(key: RSAKey) -> str:
    """The RFC 7638 thumbprint: stable for a key, so the ``kid`` needs no configuration."""
    return key.thumbprint()


def public_jwk(key: RSAKey) -> dict[str, Any]:
    """The public half of a signing key as a JWK for a JWKS document."""
    return {**key.as_dict(private=False), "kid": key_id(key), "use": "sig", "alg": ALGORITHM}


def sign_access_token(principal: Principal, key: RSAKey, *, issuer: str, audience: str, ttl_s: int,
                      now: int | None = None, jti: str | None = None) -> str:
    claims = access_claims(principal, issuer=issuer, audience=audience, ttl_s=ttl_s, now=now, jti=jti)
    return jwt.encode({"alg": ALGORITHM, "kid": key_id(key)}, claims, key, algorithms=_ALGORITHMS)


def principal_from_claims(claims: Mapping[str, Any]) -> Principal:
    for name in _LIST_CLAIMS:
        value = claims.get(name, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise invalid_token(f"Claim '{name}' must be a list of strings")
    role = claims.get("role")
    if not isinstance(role, str) or not role:
        raise invalid_token("Claim 'role' is missing")
    return Principal(
        subject=claims["sub"], role=role,
        org_ids=frozenset(claims.get("org", [])), class_ids=frozenset(claims.get("cls", [])),
        child_ids=frozenset(claims.get("chd", [])),
        username=str(claims.get("preferred_username", "")), name=str(claims.get("name", "")),
    )


# ---------------------------------------------------------------- errors

def _unauthorized(code: str, message: str) -> Unauthorized:
    exc = Unauthorized(message, code=code)
    # RFC 6750: tell the client which scheme to use and why the token failed.
    exc.headers = {"WWW-Authenticate": f'Bearer error="{code}"'}  # type: ignore[attr-defined]
    return exc


def invalid_token(message: str) -> Unauthorized:
    return _unauthorized("invalid_token", f"Invalid access token: {message}")


def token_expired() -> Unauthorized:
    return _unauthorized("token_expired", "The access token has expired: refresh it or sign in again")


def not_authenticated() -> Unauthorized:
    exc = Unauthorized("Sign-in required: send 'Authorization: Bearer <access token>'", code="not_authenticated")
    exc.headers = {"WWW-Authenticate": "Bearer"}  # type: ignore[attr-defined]
    return exc


class KeysUnavailable(ApiError):
    """The JWKS could not be fetched and no keys are cached: the caller is not at fault."""

    status_code = 503
    code = "auth_unavailable"


# ---------------------------------------------------------------- verification

class TokenVerifier(Protocol):
    def verify(self, token: str) -> Principal: ...


class _KeySetVerifier:
    """Signature, algorithm and claim checks shared by the static and the JWKS verifier."""

    def __init__(self, *, issuer: str, audience: str, leeway: int = 10,
                 clock: Callable[[], float] = time.time) -> None:
        self.issuer = issuer
        self.audience = audience
        self.leeway = leeway
        self._clock = clock

    def verify(self, token: str) -> Principal:
        if not token or token.count(".") != 2:
            raise invalid_token("not a signed JWT")
        try:
            decoded = jwt.decode(token, self._resolve_key, algorithms=_ALGORITHMS)
        except (JoseError, ValueError, KeyError, TypeError) as exc:
            raise invalid_token("bad signature, unknown key or malformed token") from exc
        self._check_claims(decoded.claims)
        return principal_from_claims(decoded.claims)

    def _check_claims(self, claims: dict[str, Any]) -> None:
        registry = JWTClaimsRegistry(
            now=lambda: int(self._clock()), leeway=self.leeway,
            iss={"essential": True, "value": self.issuer}, aud={"essential": True, "value": self.audience},
            sub={"essential": True}, exp={"essential": True}, typ={"essential": True, "value": ACCESS_TOKEN_TYPE},
        )
        try:
            registry.validate(claims)
        except ExpiredTokenError as exc:
            raise token_expired() from exc
        except ClaimError as exc:
            raise invalid_token(exc.description) from exc

    def _resolve_key(self, obj: Any) -> RSAKey:
        kid = obj.headers().get("kid")
        return self._key_for(kid if isinstance(kid, str) else None)

    def _key_for(self, kid: str | None) -> RSAKey:
        raise NotImplementedError


def _keyset(jwks: Mapping[str, Any]) -> KeySet:
    keys = [k for k in jwks.get("keys", []) if k.get("kty") == "RSA" and k.get("use", "sig") == "sig"]
    return KeySet.import_key_set({"keys": keys})


def _pick(keys: KeySet, kid: str | None) -> RSAKey | None:
    if kid is None:
        return keys.keys[0] if len(keys.keys) == 1 else None  # type: ignore[return-value]
    return next((k for k in keys.keys if k.kid == kid), None)  # type: ignore[return-value]


class StaticKeyVerifier(_KeySetVerifier):
    """Verifies against a fixed JWKS document (tests; identity verifying its own tokens)."""

    def __init__(self, jwks: Mapping[str, Any], *, issuer: str, audience: str, leeway: int = 10,
                 clock: Callable[[], float] = time.time) -> None:
        super().__init__(issuer=issuer, audience=audience, leeway=leeway, clock=clock)
        self._keys = _keyset(jwks)

    def _key_for(self, kid: str | None) -> RSAKey:
        key = _pick(self._keys, kid)
        if key is None:
            raise invalid_token(f"signed by an unknown key ({kid})")
        return key


class JwksVerifier(_KeySetVerifier):
    """Verifies against identity's JWKS, fetched over HTTP and cached.

    Keys are refetched after ``cache_seconds``, and early when a token names a ``kid`` the cache does not
    hold (key rotation) — at most once per ``min_refetch_seconds`` so forged kids cannot hammer identity.
    When a refetch fails, the keys already cached stay in use; with none cached the request gets 503.
    """

    def __init__(self, jwks_url: str, *, issuer: str, audience: str, cache_seconds: float = 300,
                 timeout: float = 3.0, leeway: int = 10, min_refetch_seconds: float = 30,
                 client: httpx.Client | None = None, clock: Callable[[], float] = time.time) -> None:
        super().__init__(issuer=issuer, audience=audience, leeway=leeway, clock=clock)
        self.jwks_url = jwks_url
        self.cache_seconds = cache_seconds
        self.min_refetch_seconds = min_refetch_seconds
        self._client = client or httpx.Client(timeout=timeout)
        self._lock = threading.Lock()
        self._keys: KeySet | None = None
        self._fetched_at = float("-inf")
        self._attempted_at = float("-inf")

    def _key_for(self, kid: str | None) -> RSAKey:
        with self._lock:
            now = self._clock()
            if self._should_refetch(kid, now):
                self._refetch(now)
            keys = self._keys
        if keys is None:
            raise KeysUnavailable("Cannot verify the access token: the signing keys are unavailable")
        key = _pick(keys, kid)
        if key is None:
            raise invalid_token(f"signed by an unknown key ({kid})")
        return key

    def _should_refetch(self, kid: str | None, now: float) -> bool:
        since_attempt = now - self._attempted_at
        if self._keys is None:
            return since_attempt >= _COLD_RETRY_SECONDS
        stale = now - self._fetched_at >= self.cache_seconds
        return (stale or _pick(self._keys, kid) is None) and since_attempt >= self.min_refetch_seconds

    def _refetch(self, now: float) -> None:
        self._attempted_at = now
        try:
            response = self._client.get(self.jwks_url)
            response.raise_for_status()
            self._keys = _keyset(response.json())
            self._fetched_at = now
        except (httpx.HTTPError, ValueError, JoseError) as exc:
            log.warning("cannot fetch JWKS from %s: %s", self.jwks_url, exc)

    def close(self) -> None:
        self._client.close()

    @classmethod
    def of(cls, settings: Any) -> Self:
        """The verifier a service's settings describe (``jwks_url``, ``jwt_issuer``, ``jwt_audience``)."""
        return cls(settings.jwks_url, issuer=settings.jwt_issuer, audience=settings.jwt_audience)


class CachedVerifier:
    """Remembers the principals of tokens already verified, so a client's repeated calls skip the RS256 check.

    An entry is keyed by the whole token (signature included: a tampered token never hits it) and never outlives
    the token's own ``exp`` nor ``cache_seconds``. Failures are not remembered. Thread-safe; at most ``cache_size``
    entries (the oldest go first). Access tokens cannot be revoked before they expire, so caching changes nothing
    about who is let in.
    """

    def __init__(self, verifier: TokenVerifier, *, cache_seconds: float = 60.0, cache_size: int = 50_000,
                 clock: Callable[[], float] = time.time) -> None:
        self.verifier = verifier
        self.cache_seconds = cache_seconds
        self.cache_size = cache_size
        self._clock = clock
        self._lock = threading.Lock()
        self._cache: OrderedDict[str, tuple[Principal, float]] = OrderedDict()

    def cached(self, token: str) -> Principal | None:
        """The principal if ``token`` was verified before and its entry is still valid; never verifies."""
        entry = self._cache.get(token)
        if entry is None:
            return None
        if entry[1] <= self._clock():
            with self._lock:
                self._cache.pop(token, None)
            return None
        return entry[0]

    def verify(self, token: str) -> Principal:
        principal = self.cached(token)
        if principal is not None:
            return principal
        principal = self.verifier.verify(token)
        self._remember(token, principal)
        return principal

    def _remember(self, token: str, principal: Principal) -> None:
        if self.cache_seconds <= 0 or self.cache_size <= 0:
            return
        until = self._clock() + self.cache_seconds
        expires = token_expiry(token)
        with self._lock:
            self._cache[token] = (principal, min(until, expires) if expires is not None else until)
            while len(self._cache) > self.cache_size:
                self._cache.popitem(last=False)


def token_expiry(token: str) -> float | None:
    """The ``exp`` claim of a JWS compact token, read without verifying (call only after verification)."""
    try:
        payload = token.split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    except (IndexError, ValueError, binascii.Error):
        return None
    exp = claims.get("exp") if isinstance(claims, dict) else None
    return float(exp) if isinstance(exp, int | float) else None


# ---------------------------------------------------------------- FastAPI dependencies

def bearer_token(request: Request) -> str | None:
    """The access token from ``Authorization: Bearer`` or, for pages, the ``esis_session`` cookie."""
    header = request.headers.get("authorization")
    if header:
        scheme, _, value = header.partition(" ")
        if scheme.lower() != "bearer" or not value.strip():
            raise invalid_token("the Authorization header must be 'Bearer <token>'")
        return value.strip()
    return request.cookies.get(SESSION_COOKIE) or None


def _app_verifier(request: Request) -> TokenVerifier:
    verifier = getattr(request.app.state, "token_verifier", None)
    if verifier is None:
        raise RuntimeError("set app.state.token_verifier or pass a verifier to current_principal()")
    return verifier


def current_principal(verifier: TokenVerifier | None = None, *,
                      optional: bool = False) -> Callable[[Request], Awaitable[Principal | None]]:
    """Dependency factory; without ``verifier`` it uses ``app.state.token_verifier``.

    With ``optional=True`` a request without any token yields ``None`` (a bad token is still rejected).
    A token a :class:`CachedVerifier` already verified is answered on the event loop; any other verification
    runs in the thread pool (a ``JwksVerifier`` may fetch keys over HTTP).
    """
    async def dependency(request: Request) -> Principal | None:
        token = bearer_token(request)
        if token is None:
            if optional:
                return None
            raise not_authenticated()
        chosen = verifier or _app_verifier(request)
        cached = getattr(chosen, "cached", None)
        principal = cached(token) if cached is not None else None
        if principal is None:
            principal = await run_in_threadpool(chosen.verify, token)
        request.state.principal = principal
        return principal

    return dependency


def require_roles(*roles: str, verifier: TokenVerifier | None = None) -> Callable[..., Awaitable[Principal]]:
    """Dependency: the authenticated principal, or 403 unless it holds one of ``roles``."""
    get_principal = current_principal(verifier)

    async def dependency(principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        if not principal.has_role(*roles):
            raise Forbidden(f"This action needs one of the roles: {', '.join(roles)}",
                            details={"required_roles": list(roles)})
        return principal

    return dependency


def jwks_document(keys: Iterable[RSAKey]) -> dict[str, Any]:
    return {"keys": [public_jwk(k) for k in keys]}
