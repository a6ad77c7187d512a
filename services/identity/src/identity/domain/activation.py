"""One-time activation codes: how an account created without a password gets its first one.

Accounts created in bulk (a whole country's teachers and guardians) get no password. Each gets a random
activation code instead, handed to the person (printed by the school, sent by the notification service); with it,
the person chooses a password at first sign-in (``POST /api/identity/v1/auth/activate``) and is signed in.

* 16 characters of Crockford's base32 (80 random bits), shown as ``XXXX-XXXX-XXXX-XXXX``; typing is forgiving:
  lower case, spaces and hyphens are ignored, ``O`` reads as ``0`` and ``I``/``L`` as ``1``.
* Stored only as SHA-256, like refresh tokens: a slow hash protects low-entropy secrets (passwords) against
  offline guessing, and 80 random bits cannot be guessed offline at any hash speed.
* Single use, expires (``IDENTITY_ACTIVATION_TTL_S``, 30 days by default), and a wrong code counts as a failed
  sign-in of the account (lockout after repeated failures).
* Until then the account's password hash is :data:`PASSWORD_NOT_SET`, which no password matches.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime

PASSWORD_NOT_SET = "!activation-pending"  # not an argon2 hash: no password verifies against it
_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})
_TO_CROCKFORD = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", _ALPHABET)  # RFC 4648 base32 → Crockford
CODE_LENGTH = 16


def new_code() -> str:
    # 10 random bytes are exactly 16 base32 characters (80 bits): one read of the system's random source.
    raw = base64.b32encode(secrets.token_bytes(CODE_LENGTH * 5 // 8)).decode("ascii").translate(_TO_CROCKFORD)
    return "-".join(raw[i:i + 4] for i in range(0, CODE_LENGTH, 4))


def normalise_code(code: str) -> str:
    return "".join(code.split()).replace("-", "").upper().translate(_READ_AS)


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise_code(code).encode("ascii", "replace")).hexdigest()


@dataclass(frozen=True)
class Activation:
    """A pending activation of an account: the code's hash and until when it may be used."""

    account_id: str
    code_hash: str
    created_at: datetime
    expires_at: datetime

    def accepts(self, code: str, now: datetime) -> bool:
        return now < self.expires_at and hmac.compare_digest(self.code_hash, hash_code(code))
