"""A guardian's own contact details and notification preferences; receipts reported by notify."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import time

from esis_shared.auth import Principal

from parent.domain.guardians import Guardian
from parent.domain.notifications import Preferences, TypeSetting
from parent.domain.receipts import Receipt
from parent.service_layer import access
from parent.service_layer.ports import Deps
from parent.service_layer.unit_of_work import UnitOfWork


@dataclass(frozen=True)
class UpdateProfile:
    display_name: str
    phone: str
    email: str
    lang: str = "mn"


@dataclass(frozen=True)
class UpdatePreferences:
    channels: list[str]
    quiet_start: time | None
    quiet_end: time | None
    digest_at: time = time(19, 0)
    types: dict[str, TypeSetting] = field(default_factory=dict)


def update_profile(cmd: UpdateProfile, principal: Principal, deps: Deps) -> Guardian:
    access.require_parent(principal)
    with deps.uow() as uow:
        guardian = uow.guardians.get(principal.subject) or Guardian(principal.subject)
        guardian.update(display_name=cmd.display_name, phone=cmd.phone, email=cmd.email, lang=cmd.lang)
        uow.guardians.save(guardian)
        uow.commit()
    return guardian


def update_preferences(cmd: UpdatePreferences, principal: Principal, deps: Deps) -> Preferences:
    access.require_parent(principal)
    with deps.uow() as uow:
        prefs = uow.preferences.get(principal.subject)
        prefs.change(channels=cmd.channels, quiet_start=cmd.quiet_start, quiet_end=cmd.quiet_end,
                     digest_at=cmd.digest_at, types=cmd.types)
        uow.preferences.save(prefs)
        uow.commit()
    return prefs


def record_receipt(uow: UnitOfWork, receipt: Receipt) -> None:
    """From notify's delivery events (the receipts consumer owns the transaction)."""
    uow.receipts.save(receipt)
