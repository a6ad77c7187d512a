"""Username and password rules, with messages a person can act on."""

from __future__ import annotations

import re
import unicodedata

from identity.domain.errors import InvalidField, WeakPassword

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 128
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,63}$")
# The most common choices seen in breaches, plus local ones; long enough to matter, short enough to read.
_COMMON = frozenset({
    "1234567890", "0123456789", "12345678910", "1q2w3e4r5t", "qwertyuiop", "password1", "password12",
    "password123", "passw0rd12", "1234qwerty", "qwerty1234", "iloveyou12", "abcdefghij", "abc1234567",
    "admin12345", "welcome123", "mongolia123", "mongol1234", "ulaanbaatar", "ulaanbaatar1", "99119911",
    "nuuts1234", "nuutsug123", "нууцүг1234",
})


def normalise_username(username: str) -> str:
    return unicodedata.normalize("NFKC", username).strip().lower()


def check_username(username: str) -> str:
    name = normalise_username(username)
    if not _USERNAME.match(name):
        raise InvalidField("username", "A username has 3 to 64 Latin letters, digits, '.', '_' or '-', "
                           "and starts with a letter or digit",
                           "Нэвтрэх нэр 3-64 тэмдэгт: латин үсэг, тоо, '.', '_', '-' байх ба үсэг эсвэл тоогоор "
                           "эхэлнэ")
    return name


def check_password(password: str, *, username: str = "") -> None:
    """Raise WeakPassword naming the first rule the password breaks."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise WeakPassword("password", f"A password needs at least {MIN_PASSWORD_LENGTH} characters",
                           f"Нууц үг дор хаяж {MIN_PASSWORD_LENGTH} тэмдэгттэй байна")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise WeakPassword("password", f"A password has at most {MAX_PASSWORD_LENGTH} characters",
                           f"Нууц үг {MAX_PASSWORD_LENGTH}-аас ихгүй тэмдэгттэй байна")
    if not any(c.isalpha() for c in password) or not any(c.isdigit() for c in password):
        raise WeakPassword("password", "A password needs both letters and digits",
                           "Нууц үг үсэг болон тоо хоёуланг агуулна")
    if username and normalise_username(username) in password.lower():
        raise WeakPassword("password", "A password must not contain the username",
                           "Нууц үг нэвтрэх нэрийг агуулж болохгүй")
    if password.lower() in _COMMON or len(set(password)) < 4:
        raise WeakPassword("password", "This password is too easy to guess; choose another",
                           "Энэ нууц үгийг таахад хялбар тул өөрийг сонгоно уу")
