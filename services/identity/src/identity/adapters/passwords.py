"""argon2id password hashing (argon2-cffi), with a dummy verification for unknown usernames."""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError


class Argon2Hasher:
    """argon2-cffi's defaults (RFC 9106 low-memory profile) unless the parameters are given (tests)."""

    def __init__(self, hasher: PasswordHasher | None = None) -> None:
        self._hasher = hasher or PasswordHasher()
        # A real hash of a random-free constant: verifying against it costs what a real check costs.
        self._dummy = self._hasher.hash("esis-dummy-password-for-timing")

    @classmethod
    def fast_for_tests(cls) -> Argon2Hasher:
        return cls(PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))

    def hash(self, password: str) -> str:
        return self._hasher.hash(password)

    def verify(self, password_hash: str, password: str) -> bool:
        if not password_hash.startswith("$argon2"):
            # No password set (an account awaiting activation): take as long as a real check, so the answer
            # does not tell such accounts apart.
            self.verify_dummy(password)
            return False
        try:
            return self._hasher.verify(password_hash, password)
        except (VerificationError, InvalidHashError):
            return False

    def verify_dummy(self, password: str) -> None:
        self.verify(self._dummy, password)

    def needs_rehash(self, password_hash: str) -> bool:
        return self._hasher.check_needs_rehash(password_hash)
