"""Username and password rules give a clear reason, in English and Mongolian."""

from __future__ import annotations

import pytest
from identity.domain.credentials import check_password, check_username
from identity.domain.errors import InvalidField, WeakPassword


@pytest.mark.parametrize("password, reason", [
    ("Short-1", "at least 10 characters"),
    ("onlyletters-here", "letters and digits"),
    ("1234567890123", "letters and digits"),
    ("b.saruul-2024", "must not contain the username"),
    ("Password123", "too easy to guess"),
    ("aaaa1111aaaa", "too easy to guess"),
    ("x1" * 65, "at most 128"),
])
def test_weak_passwords_are_refused_with_the_reason(password: str, reason: str) -> None:
    with pytest.raises(WeakPassword) as exc:
        check_password(password, username="b.saruul")
    assert reason in exc.value.message
    assert exc.value.message_mn
    assert exc.value.details["fields"][0]["field"] == "password"


def test_a_reasonable_password_passes() -> None:
    check_password("Saruul-math-2024x", username="bold")


def test_usernames_are_normalised_to_lower_case() -> None:
    assert check_username("  B.Saruul ") == "b.saruul"


@pytest.mark.parametrize("username", ["ab", "has space", "кирилл", "-starts-with-dash", "x" * 65])
def test_bad_usernames_name_the_field(username: str) -> None:
    with pytest.raises(InvalidField) as exc:
        check_username(username)
    assert exc.value.field == "username"
