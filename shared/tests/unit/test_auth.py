"""Access-token verification: a token is accepted only if identity signed it for us and it is still valid."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import httpx
import pytest
from esis_shared.api import install_error_handlers
from esis_shared.auth import (
    SESSION_COOKIE,
    CachedVerifier,
    JwksVerifier,
    KeysUnavailable,
    Principal,
    StaticKeyVerifier,
    current_principal,
    jwks_document,
    require_roles,
    sign_access_token,
)
from esis_shared.errors import Unauthorized
from fastapi import Depends, FastAPI
from fastapi.testclient import TestClient
from joserfc import jwt
from joserfc.jwk import RSAKey

ISSUER, AUDIENCE = "esis-identity", "esis"
TEACHER = Principal(subject="acc-1", role="teacher", org_ids=frozenset({"school-7"}),
                    class_ids=frozenset({"class-5a"}), username="bold", name="Болд Бат")


@pytest.fixture(scope="module")
def key() -> RSAKey:
    return RSAKey.generate_key(2048, private=True)


@pytest.fixture(scope="module")
def other_key() -> RSAKey:
    return RSAKey.generate_key(2048, private=True)


@pytest.fixture()
def verifier(key: RSAKey) -> StaticKeyVerifier:
    return StaticKeyVerifier(jwks_document([key]), issuer=ISSUER, audience=AUDIENCE)


def token(key: RSAKey, principal: Principal = TEACHER, **overrides: object) -> str:
    return sign_access_token(principal, key, issuer=overrides.pop("issuer", ISSUER),  # type: ignore[arg-type]
                             audience=overrides.pop("audience", AUDIENCE),  # type: ignore[arg-type]
                             ttl_s=overrides.pop("ttl_s", 900), now=overrides.pop("now", None))  # type: ignore[arg-type]


def b64(value: dict[str, object]) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


def error_code(exc: pytest.ExceptionInfo[Unauthorized]) -> str:
    return exc.value.code


def test_valid_token_yields_the_principal_with_scopes(key: RSAKey, verifier: StaticKeyVerifier) -> None:
    principal = verifier.verify(token(key))
    assert principal == TEACHER
    assert principal.has_role("teacher", "school_admin") and not principal.has_role("parent")
    assert principal.in_org("school-7") and principal.can_class("class-5a") and not principal.can_child("x")


def test_token_signed_by_another_key_is_invalid(other_key: RSAKey, verifier: StaticKeyVerifier) -> None:
    with pytest.raises(Unauthorized) as exc:
        verifier.verify(token(other_key))
    assert error_code(exc) == "invalid_token"


def test_expired_token_says_expired(key: RSAKey, verifier: StaticKeyVerifier) -> None:
    with pytest.raises(Unauthorized) as exc:
        verifier.verify(token(key, now=int(time.time()) - 2000, ttl_s=900))
    assert error_code(exc) == "token_expired"
    assert "expired" in exc.value.message


def test_expiry_allows_small_clock_skew(key: RSAKey, verifier: StaticKeyVerifier) -> None:
    assert verifier.verify(token(key, now=int(time.time()) - 905, ttl_s=900)).subject == "acc-1"


def test_tampered_payload_is_invalid(key: RSAKey, verifier: StaticKeyVerifier) -> None:
    header, payload, signature = token(key).split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=="))
    claims["role"] = "ministry"
    forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    with pytest.raises(Unauthorized) as exc:
        verifier.verify(f"{header}.{forged}.{signature}")
    assert error_code(exc) == "invalid_token"


@pytest.mark.parametrize("field, value", [("issuer", "someone-else"), ("audience", "another-system")])
def test_token_for_another_issuer_or_audience_is_invalid(key: RSAKey, verifier: StaticKeyVerifier,
                                                        field: str, value: str) -> None:
    with pytest.raises(Unauthorized) as exc:
        verifier.verify(token(key, **{field: value}))
    assert error_code(exc) == "invalid_token"


def test_refresh_or_other_token_types_are_not_access_tokens(key: RSAKey, verifier: StaticKeyVerifier) -> None:
    now = int(time.time())
    claims = {"sub": "acc-1", "role": "teacher", "iss": ISSUER, "aud": AUDIENCE, "exp": now + 60, "typ": "refresh"}
    with pytest.raises(Unauthorized) as exc:
        verifier.verify(jwt.encode({"alg": "RS256", "kid": key.thumbprint()}, claims, key))
    assert error_code(exc) == "invalid_token"


def test_hmac_token_keyed_with_the_public_key_is_rejected(key: RSAKey, verifier: StaticKeyVerifier) -> None:
    now = int(time.time())
    claims = {"sub": "acc-1", "role": "ministry", "iss": ISSUER, "aud": AUDIENCE, "exp": now + 60, "typ": "access"}
    signing_input = f"{b64({'alg': 'HS256', 'kid': key.thumbprint()})}.{b64(claims)}"
    mac = hmac.new(key.as_pem(private=False), signing_input.encode(), hashlib.sha256).digest()
    forged = f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    with pytest.raises(Unauthorized) as exc:
        verifier.verify(forged)
    assert error_code(exc) == "invalid_token"


@pytest.mark.parametrize("garbage", ["", "abc", "a.b.c", "a.b.c.d"])
def test_garbage_is_invalid_token(verifier: StaticKeyVerifier, garbage: str) -> None:
    with pytest.raises(Unauthorized) as exc:
        verifier.verify(garbage)
    assert error_code(exc) == "invalid_token"


# ---------------------------------------------------------------- JWKS over HTTP (mock transport: no sockets)

class FakeJwks:
    def __init__(self, *keys: RSAKey) -> None:
        self.keys = list(keys)
        self.calls = 0
        self.fail = False

    def handler(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        if self.fail:
            return httpx.Response(503)
        return httpx.Response(200, json=jwks_document(self.keys))


class Clock:
    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now


def jwks_verifier(server: FakeJwks, clock: Clock) -> JwksVerifier:
    client = httpx.Client(transport=httpx.MockTransport(server.handler))
    return JwksVerifier("http://identity/api/identity/v1/jwks", issuer=ISSUER, audience=AUDIENCE,
                        client=client, clock=clock, cache_seconds=300, min_refetch_seconds=30)


def test_jwks_is_fetched_once_and_cached(key: RSAKey) -> None:
    server, clock = FakeJwks(key), Clock()
    verifier = jwks_verifier(server, clock)
    for _ in range(3):
        assert verifier.verify(token(key, now=int(clock.now))).subject == "acc-1"
    assert server.calls == 1
    clock.now += 301
    verifier.verify(token(key, now=int(clock.now)))
    assert server.calls == 2


def test_unknown_kid_triggers_a_rate_limited_refetch(key: RSAKey, other_key: RSAKey) -> None:
    server, clock = FakeJwks(key), Clock()
    verifier = jwks_verifier(server, clock)
    verifier.verify(token(key, now=int(clock.now)))
    with pytest.raises(Unauthorized):
        verifier.verify(token(other_key, now=int(clock.now)))  # too soon after the first fetch
    assert server.calls == 1
    server.keys.append(other_key)  # identity rotated its key
    clock.now += 31
    assert verifier.verify(token(other_key, now=int(clock.now))).subject == "acc-1"
    assert server.calls == 2
    with pytest.raises(Unauthorized):
        verifier.verify(token(RSAKey.generate_key(2048, private=True), now=int(clock.now)))
    assert server.calls == 2


def test_cached_keys_survive_a_failed_refetch_and_no_keys_is_503(key: RSAKey) -> None:
    server, clock = FakeJwks(key), Clock()
    verifier = jwks_verifier(server, clock)
    verifier.verify(token(key, now=int(clock.now)))
    server.fail = True
    clock.now += 400
    assert verifier.verify(token(key, now=int(clock.now))).subject == "acc-1"
    cold = jwks_verifier(server, clock)
    with pytest.raises(KeysUnavailable) as exc:
        cold.verify(token(key, now=int(clock.now)))
    assert exc.value.status_code == 503


# ---------------------------------------------------------------- FastAPI dependencies

@pytest.fixture()
def client(verifier: StaticKeyVerifier) -> TestClient:
    app = FastAPI()
    install_error_handlers(app)
    app.state.token_verifier = verifier

    @app.get("/whoami")
    def whoami(principal: Principal = Depends(current_principal())) -> dict[str, str]:  # noqa: B008
        return {"sub": principal.subject, "role": principal.role}

    @app.get("/school-only")
    def school_only(principal: Principal = Depends(require_roles("school_admin"))) -> dict[str, str]:  # noqa: B008
        return {"sub": principal.subject}

    return TestClient(app)


def test_bearer_header_authenticates(client: TestClient, key: RSAKey) -> None:
    response = client.get("/whoami", headers={"Authorization": f"Bearer {token(key)}"})
    assert response.json() == {"sub": "acc-1", "role": "teacher"}


def test_session_cookie_authenticates_pages(client: TestClient, key: RSAKey) -> None:
    client.cookies.set(SESSION_COOKIE, token(key))
    assert client.get("/whoami").status_code == 200


def test_missing_token_is_401_with_the_shared_error_shape(client: TestClient) -> None:
    response = client.get("/whoami")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_expired_token_is_401_token_expired(client: TestClient, key: RSAKey) -> None:
    response = client.get("/whoami", headers={"Authorization": f"Bearer {token(key, now=1_000_000)}"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "token_expired"


def test_wrong_role_is_403(client: TestClient, key: RSAKey) -> None:
    response = client.get("/school-only", headers={"Authorization": f"Bearer {token(key)}"})
    assert response.status_code == 403
    assert response.json()["error"]["details"]["required_roles"] == ["school_admin"]


# ---------------------------------------------------------------- verification cache

class CountingVerifier:
    def __init__(self, inner: StaticKeyVerifier) -> None:
        self.inner, self.calls = inner, 0

    def verify(self, raw: str) -> Principal:
        self.calls += 1
        return self.inner.verify(raw)


def test_a_verified_token_is_remembered_until_the_cache_time(key: RSAKey, verifier: StaticKeyVerifier) -> None:
    counting, clock = CountingVerifier(verifier), Clock()
    cached = CachedVerifier(counting, cache_seconds=60, clock=clock)
    raw = token(key, now=int(clock.now))
    assert cached.cached(raw) is None
    assert [cached.verify(raw).subject, cached.verify(raw).subject] == ["acc-1", "acc-1"]
    assert counting.calls == 1 and cached.cached(raw) == TEACHER
    clock.now += 61
    assert cached.cached(raw) is None
    cached.verify(raw)
    assert counting.calls == 2


def test_a_cached_token_never_outlives_its_expiry(key: RSAKey, verifier: StaticKeyVerifier) -> None:
    clock = Clock()
    cached = CachedVerifier(verifier, cache_seconds=600, clock=clock)
    raw = token(key, now=int(clock.now), ttl_s=30)
    cached.verify(raw)
    clock.now += 31
    assert cached.cached(raw) is None


def test_failures_are_not_remembered_and_a_tampered_token_never_hits(key: RSAKey, verifier: StaticKeyVerifier) -> None:
    counting = CountingVerifier(verifier)
    cached = CachedVerifier(counting)
    raw = token(key)
    cached.verify(raw)
    head, payload, signature = raw.split(".")
    tampered = f"{head}.{b64({'sub': 'acc-9', 'role': 'ministry'})}.{signature}"
    for _ in range(2):
        with pytest.raises(Unauthorized):
            cached.verify(tampered)
    assert counting.calls == 3


def test_the_cache_keeps_at_most_its_size(key: RSAKey, verifier: StaticKeyVerifier) -> None:
    cached = CachedVerifier(verifier, cache_size=2)
    raws = [token(key, TEACHER.__class__(subject=f"acc-{i}", role="teacher")) for i in range(3)]
    for raw in raws:
        cached.verify(raw)
    assert cached.cached(raws[0]) is None and cached.cached(raws[2]) is not None


def test_the_dependency_answers_a_cached_token_without_verifying_again(key: RSAKey,
                                                                        verifier: StaticKeyVerifier) -> None:
    counting = CountingVerifier(verifier)
    app = FastAPI()
    install_error_handlers(app)
    app.state.token_verifier = CachedVerifier(counting)

    @app.get("/whoami")
    def whoami(principal: Principal = Depends(current_principal())) -> dict[str, str]:  # noqa: B008
        return {"sub": principal.subject}

    client, raw = TestClient(app), token(key)
    responses = [client.get("/whoami", headers={"Authorization": f"Bearer {raw}"}) for _ in range(3)]
    assert [r.json() for r in responses] == [{"sub": "acc-1"}] * 3 and counting.calls == 1
