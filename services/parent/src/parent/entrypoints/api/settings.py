"""/api/parent/v1/profile, /preferences and /receipts: the guardian's contacts, choices and delivery receipts."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from parent.domain.notifications import TypeSetting
from parent.entrypoints.api.deps import PREFIX, DepsDep, PrincipalDep
from parent.entrypoints.api.schemas import PreferencesUpdate, ProfileUpdate, plain
from parent.service_layer import views
from parent.service_layer.handlers import settings as s

router = APIRouter(prefix=PREFIX, tags=["settings"])


@router.get("/profile")
def profile(principal: PrincipalDep, deps: DepsDep) -> dict[str, Any]:
    return plain(views.settings(principal, deps)[0])


@router.put("/profile")
def update_profile(body: ProfileUpdate, principal: PrincipalDep, deps: DepsDep) -> dict[str, Any]:
    return plain(s.update_profile(s.UpdateProfile(**body.model_dump()), principal, deps))


@router.get("/preferences")
def preferences(principal: PrincipalDep, deps: DepsDep) -> dict[str, Any]:
    return plain(views.settings(principal, deps)[1])


@router.put("/preferences")
def update_preferences(body: PreferencesUpdate, principal: PrincipalDep, deps: DepsDep) -> dict[str, Any]:
    types = {k: TypeSetting(v.enabled, v.digest) for k, v in body.types.items()}
    cmd = s.UpdatePreferences(body.channels, body.quiet_start, body.quiet_end, body.digest_at, types)
    return plain(s.update_preferences(cmd, principal, deps))


@router.get("/receipts")
def receipts(principal: PrincipalDep, deps: DepsDep) -> list[dict[str, Any]]:
    """What the notify service reported about the guardian's notifications, newest first."""
    return plain(views.settings(principal, deps)[2])
