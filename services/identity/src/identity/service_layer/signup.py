"""Guardian self sign-up: start (SMS code), resend, verify (account created and signed in).

``start`` and ``resend`` answer the same way whether or not the phone has an account; the SMS is what differs
(a code, or "someone tried to sign up with your number"), and only the phone's owner reads it. The SMS is staged
in the AMQP outbox in the same transaction as the sign-up, so a rolled-back sign-up sends nothing.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from identity.domain import signup as rules
from identity.domain.credentials import check_password
from identity.domain.errors import InvalidField
from identity.domain.model import Account
from identity.domain.signup import InvalidSignupCode, PendingSignup, SignupLocked, SignupThrottled
from identity.service_layer.commands import ResendSignupCode, StartSignup, VerifySignup
from identity.service_layer.ports import Deps
from identity.service_layer.sessions import TokenPair, _issue
from identity.service_layer.unit_of_work import UnitOfWork

LANGS = ("mn", "en")


def start(cmd: StartSignup, deps: Deps) -> None:
    """Validate everything first (nothing is written for bad input), then throttle, then stage the SMS."""
    problems: list[InvalidField] = []
    name = phone = ""
    try:
        name = rules.check_display_name(cmd.display_name)
    except InvalidField as exc:
        problems.append(exc)
    try:
        phone = rules.normalise_phone(cmd.phone)
    except InvalidField as exc:
        problems.append(exc)
    if problems:
        raise problems[0]
    check_password(cmd.password, username=phone)
    lang = cmd.lang if cmd.lang in LANGS else "mn"
    password_hash = deps.hasher.hash(cmd.password)  # before the transaction: argon2 takes ~0.1 s
    now = deps.clock()
    with deps.uow() as uow:
        _throttle(uow, phone, cmd.client_ip, now)
        if uow.accounts.get_by_username(phone) is not None:
            uow.sms.send(key=f"signup-exists:{uuid.uuid4()}", address=phone,
                         text=rules.existing_account_text(lang), lang=lang)
            uow.commit()
            return
        pending = uow.signups.get(phone, for_update=True)
        if pending is not None and pending.is_locked(now):
            raise SignupLocked(pending.locked_until, now)  # type: ignore[arg-type]
        code = rules.new_code()
        uow.signups.save(PendingSignup(phone=phone, display_name=name, password_hash=password_hash, lang=lang,
                                       code_hash=rules.hash_code(phone, code), code_sent_at=now,
                                       expires_at=now + rules.CODE_TTL, created_at=now))
        _send_code(uow, phone, code, lang)
        uow.commit()


def resend(cmd: ResendSignupCode, deps: Deps) -> None:
    """A new code for a waiting sign-up (the old one stops working); nothing happens for any other phone."""
    phone = rules.normalise_phone(cmd.phone)
    now = deps.clock()
    with deps.uow() as uow:
        _throttle(uow, phone, cmd.client_ip, now)
        pending = uow.signups.get(phone, for_update=True)
        if pending is None:
            uow.commit()  # the request still counts against the throttles
            return
        if pending.is_locked(now):
            raise SignupLocked(pending.locked_until, now)  # type: ignore[arg-type]
        code = rules.new_code()
        pending.new_code(code, now)
        uow.signups.save(pending)
        _send_code(uow, phone, code, pending.lang)
        uow.commit()


def verify(cmd: VerifySignup, deps: Deps) -> TokenPair:
    """The right code creates the parent account (``AccountCreated``) and signs in; a wrong one counts."""
    phone = rules.normalise_phone(cmd.phone)
    now = deps.clock()
    with deps.uow() as uow:
        pending = uow.signups.get(phone, for_update=True)
        if pending is None:
            raise InvalidSignupCode()
        if pending.is_locked(now):
            raise SignupLocked(pending.locked_until, now)  # type: ignore[arg-type]
        if not pending.check(cmd.code, now):
            uow.signups.save(pending)
            uow.attempts.add(username=phone, account_id=None, client_ip=cmd.client_ip, at=now,
                             outcome="signup_bad_code")
            uow.commit()
            if pending.is_locked(now):
                raise SignupLocked(pending.locked_until, now)  # type: ignore[arg-type]
            raise InvalidSignupCode(pending.attempts_left)
        if uow.accounts.get_by_username(phone) is not None:  # taken meanwhile (e.g. by an administrator)
            uow.signups.remove(phone)
            uow.commit()
            raise InvalidSignupCode()
        account = Account.sign_up_guardian(username=phone, display_name=pending.display_name,
                                           password_hash=pending.password_hash, now=now)
        uow.accounts.add(account)
        uow.signups.remove(phone)
        account.record_sign_in(now)
        pair = _issue(uow, account, deps, family_id=None)
        uow.attempts.add(username=phone, account_id=account.id, client_ip=cmd.client_ip, at=now,
                         outcome="signed_up")
        uow.commit()
    return pair


def _throttle(uow: UnitOfWork, phone: str, client_ip: str | None, now: datetime) -> None:
    since = now - rules.THROTTLE_WINDOW
    if client_ip:
        wait = rules.wait_for_ip(uow.signups.request_times(since=since, client_ip=client_ip), now)
        if wait is not None:
            raise SignupThrottled(wait)
    wait = rules.wait_before_code(uow.signups.request_times(since=since, phone=phone), now)
    if wait is not None:
        raise SignupThrottled(wait)
    uow.signups.record_request(phone, client_ip, now)


def _send_code(uow: UnitOfWork, phone: str, code: str, lang: str) -> None:
    uow.sms.send(key=f"signup-code:{uuid.uuid4()}", address=phone, text=rules.code_text(code, lang),
                 lang=lang)
