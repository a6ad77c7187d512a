"""Commands: what a caller asks identity to do. ``actor_id`` is the account acting (from its access token)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class CreateAccount:
    actor_id: str | None  # None: the platform itself (bootstrap admin, `python -m identity create-account`)
    username: str
    password: str
    role: str
    display_name: str = ""
    org_ids: Sequence[str] = ()
    class_ids: Sequence[str] = ()
    child_ids: Sequence[str] = ()


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    client_ip: str | None = None


@dataclass(frozen=True)
class Refresh:
    refresh_token: str


@dataclass(frozen=True)
class Logout:
    refresh_token: str


@dataclass(frozen=True)
class ChangeScopes:
    actor_id: str
    account_id: str
    role: str | None = None
    org_ids: Sequence[str] | None = None
    class_ids: Sequence[str] | None = None
    child_ids: Sequence[str] | None = None


@dataclass(frozen=True)
class LockAccount:
    actor_id: str
    account_id: str


@dataclass(frozen=True)
class UnlockAccount:
    actor_id: str
    account_id: str


@dataclass(frozen=True)
class DisableAccount:
    actor_id: str
    account_id: str


@dataclass(frozen=True)
class ChangePassword:
    actor_id: str
    current_password: str
    new_password: str


# ---------------------------------------------------------------- facts of other services (consumed events)


@dataclass(frozen=True)
class LinkStaffAccount:
    """hr: a staff member signs in with this account (``StaffAccountLinked``)."""

    staff_id: str
    account_id: str


@dataclass(frozen=True)
class RecordAppointment:
    """hr: a staff member was appointed at an organisation (``StaffHired``, the new post of ``StaffMoved``)."""

    staff_id: str
    appointment_id: str
    org_id: str
    ends_appointment_id: str = ""  # StaffMoved: the post it replaces


@dataclass(frozen=True)
class EndAppointments:
    """hr: a staff member left an organisation (``StaffExited``)."""

    staff_id: str
    appointment_ids: Sequence[str]


@dataclass(frozen=True)
class RecordTeaching:
    """hr: a teacher teaches a class (``TeachingAssigned``); ``ended`` when its last day had already passed."""

    assignment_id: str
    staff_id: str
    class_id: str
    org_id: str
    ended: bool = False


@dataclass(frozen=True)
class EndTeaching:
    """hr: a teaching assignment ended (``TeachingUnassigned``)."""

    assignment_id: str
    staff_id: str
    class_id: str
    org_id: str


@dataclass(frozen=True)
class FollowChildLink:
    """parent: a parent account was linked to a learner (``ChildLinked``) or unlinked (``ChildUnlinked``)."""

    account_id: str
    learner_id: str
    linked: bool


StaffFact = LinkStaffAccount | RecordAppointment | EndAppointments | RecordTeaching | EndTeaching

Command = (CreateAccount | Login | Refresh | Logout | ChangeScopes | LockAccount | UnlockAccount | DisableAccount
           | ChangePassword)


# ---------------------------------------------------------------- accounts without a password (bulk, activation)


@dataclass(frozen=True)
class NewAccount:
    """One row of :class:`CreateAccounts`: an account as :class:`CreateAccount` describes it, without a password."""

    username: str
    role: str
    display_name: str = ""
    org_ids: Sequence[str] = ()
    class_ids: Sequence[str] = ()
    child_ids: Sequence[str] = ()


@dataclass(frozen=True)
class CreateAccounts:
    """Many accounts at once, all or none; each gets a one-time activation code instead of a password."""

    actor_id: str | None
    accounts: Sequence[NewAccount]


@dataclass(frozen=True)
class ActivateAccount:
    """The person sets the first password of an account created without one, with its activation code."""

    username: str
    code: str
    new_password: str
    client_ip: str | None = None


@dataclass(frozen=True)
class IssueActivation:
    """A new activation code for an account that has no password yet (the first one was lost or expired)."""

    actor_id: str
    account_id: str


@dataclass(frozen=True)
class StartSignup:
    """A guardian signs up: a pending sign-up and an SMS code (``domain/signup.py``)."""

    display_name: str
    phone: str
    password: str
    lang: str = "mn"
    client_ip: str | None = None


@dataclass(frozen=True)
class ResendSignupCode:
    phone: str
    client_ip: str | None = None


@dataclass(frozen=True)
class VerifySignup:
    phone: str
    code: str
    client_ip: str | None = None
