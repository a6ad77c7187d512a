"""Handlers keeping hr's copy of education's organisations and classes (from its events, or a sync client)."""

from __future__ import annotations

from hr.domain.access import Role, require
from hr.domain.directory import ClassInfo, OrgInfo
from hr.domain.staff import check_subject_codes
from hr.domain.values import SchoolYear
from hr.service_layer import commands
from hr.service_layer.handlers.common import Context
from hr.service_layer.unit_of_work import AbstractUnitOfWork

SYNC_ROLES = frozenset({Role.SYSTEM, Role.SERVICE, Role.MINISTRY})


def save_org(cmd: commands.SaveOrg, uow: AbstractUnitOfWork, ctx: Context) -> OrgInfo:
    _require_sync(cmd)
    org = OrgInfo(cmd.org_id, cmd.name.strip(), cmd.aimag_code.strip(), cmd.kind)
    with uow:
        uow.directory.save_org(org)
        uow.commit()
    return org


def save_class(cmd: commands.SaveClass, uow: AbstractUnitOfWork, ctx: Context) -> ClassInfo:
    _require_sync(cmd)
    year = SchoolYear.parse(cmd.school_year)
    check_subject_codes(code for code, _ in cmd.subject_hours)
    info = ClassInfo(cmd.class_id, cmd.org_id, year.label, cmd.name.strip(), cmd.grade, dict(cmd.subject_hours))
    with uow:
        uow.directory.save_class(info)
        uow.commit()
    return info


def _require_sync(cmd: commands.Command) -> None:
    require(cmd.actor.role in SYNC_ROLES, "байгууллага, ангийн жагсаалтыг шинэчлэх",
            "update the list of organisations and classes")
