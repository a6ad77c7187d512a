"""The production profile refuses development keys and default passwords; dev generates its own key."""

from __future__ import annotations

from pathlib import Path

import pytest
from identity.adapters.tokens import DEV_KEY_MARKER, SigningKeyError, generate_dev_key, is_dev_key, load_signing_key
from identity.bootstrap import bootstrap, signing_key_for
from identity.config import DEV_BOOTSTRAP_ADMIN_PASSWORD, InsecureConfiguration, Settings, ensure_safe_for_profile
from joserfc.errors import SecurityWarning
from joserfc.jwk import RSAKey

STRONG = "Vq7-long-and-unguessable-2026"


def production(**values: object) -> Settings:
    values = {"amqp_url": "amqps://identity:s3cret-broker@rabbitmq:5671/", **values}
    return Settings(profile="production", database_url="sqlite://", **values)  # type: ignore[arg-type]


def test_production_refuses_rabbitmqs_guest_login(key_file: Path) -> None:
    settings = production(signing_key_file=str(key_file), bootstrap_admin_password="",
                          amqp_url="amqp://guest:guest@127.0.0.1:5672/")
    assert "IDENTITY_AMQP_URL" in refusal(settings)


def refusal(settings: Settings) -> str:
    with pytest.raises(InsecureConfiguration) as exc:
        ensure_safe_for_profile(settings)
    return str(exc.value)


def test_production_refuses_to_start_without_an_explicit_signing_key() -> None:
    message = refusal(production(bootstrap_admin_password=STRONG))
    assert "IDENTITY_SIGNING_KEY_FILE is not set" in message


def test_production_refuses_the_generated_development_key(tmp_path: Path) -> None:
    dev_key = tmp_path / "identity-signing-key.pem"
    generate_dev_key(dev_key)
    message = refusal(production(signing_key_file=str(dev_key), bootstrap_admin_password=STRONG))
    assert "development key" in message


def test_production_refuses_a_missing_key_file(tmp_path: Path) -> None:
    message = refusal(production(signing_key_file=str(tmp_path / "nope.pem"), bootstrap_admin_password=STRONG))
    assert "does not exist" in message


def test_production_refuses_the_default_or_a_weak_bootstrap_password(key_file: Path) -> None:
    assert "development default" in refusal(production(signing_key_file=str(key_file)))
    assert Settings().bootstrap_admin_password == DEV_BOOTSTRAP_ADMIN_PASSWORD
    assert "too weak" in refusal(production(signing_key_file=str(key_file), bootstrap_admin_password="admin"))


def test_production_lists_every_problem_at_once() -> None:
    message = refusal(production())
    assert "SIGNING_KEY_FILE" in message and "BOOTSTRAP_ADMIN_PASSWORD" in message


def test_bootstrap_refuses_before_touching_the_database(tmp_path: Path) -> None:
    database = tmp_path / "never-created.db"
    with pytest.raises(InsecureConfiguration):
        bootstrap(Settings(profile="production", database_url=f"sqlite:///{database}"))
    assert not database.exists()


def test_production_starts_with_a_real_key_and_no_bootstrap_account(key_file: Path) -> None:
    settings = production(signing_key_file=str(key_file), bootstrap_admin_password="")
    ensure_safe_for_profile(settings)
    container = bootstrap(settings)
    try:
        assert container.ensure_bootstrap_admin() is None
    finally:
        container.close()


def test_development_generates_a_marked_key_once_and_reuses_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    settings = Settings(database_url="sqlite://")
    first = signing_key_for(settings)
    path = tmp_path / ".run" / "identity-signing-key.pem"
    assert is_dev_key(path) and path.read_text().startswith(DEV_KEY_MARKER)
    assert path.stat().st_mode & 0o077 == 0
    assert signing_key_for(settings).thumbprint() == first.thumbprint()


def test_a_public_or_small_key_is_refused(tmp_path: Path) -> None:
    public = tmp_path / "public.pem"
    public.write_bytes(RSAKey.generate_key(2048, private=True).as_pem(private=False))
    with pytest.raises(SigningKeyError, match="public key"):
        load_signing_key(public)
    small = tmp_path / "small.pem"
    with pytest.warns(SecurityWarning):
        small.write_bytes(RSAKey.generate_key(1024, private=True).as_pem(private=True))
    with pytest.raises(SigningKeyError, match="at least 2048"), pytest.warns(SecurityWarning):
        load_signing_key(small)
