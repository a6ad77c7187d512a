"""Organisation hierarchy handlers: create, move, merge, close, catchment (ministry / officers)."""

from __future__ import annotations

from education.domain import access, org
from education.domain.base import new_id
from education.domain.errors import Conflict
from education.domain.org import OrgUnit
from education.service_layer import commands
from education.service_layer.handlers.common import Context, org_unit


def _require_reference_admin(ctx: Context) -> None:
    access.require(access.manages_reference_data(ctx.actor), "байгууллагын бүтцийг өөрчлөх",
                   "change the organisation hierarchy")


def create_org_unit(cmd: commands.CreateOrgUnit, ctx: Context) -> str:
    _require_reference_admin(ctx)
    with ctx.uow:
        if ctx.uow.org_units.by_code(cmd.code) is not None:
            raise Conflict(f"'{cmd.code}' кодтой нэгж бүртгэлтэй байна.", f"A unit with code '{cmd.code}' exists.",
                           code="org_code_taken", field="code")
        parent = org_unit(ctx, cmd.parent_id) if cmd.parent_id else None
        unit = OrgUnit.create(id=cmd.id or new_id(), kind=cmd.kind, code=cmd.code, name_mn=cmd.name_mn,
                              parent=parent, opened_on=cmd.opened_on, name_en=cmd.name_en,
                              ownership=cmd.ownership, address=cmd.address)
        ctx.uow.org_units.add(unit)
        ctx.uow.commit()
        return unit.id


def move_org_unit(cmd: commands.MoveOrgUnit, ctx: Context) -> None:
    _require_reference_admin(ctx)
    with ctx.uow:
        org_unit(ctx, cmd.unit_id).move_to(org_unit(ctx, cmd.parent_id), cmd.on)
        ctx.uow.commit()


def merge_org_units(cmd: commands.MergeOrgUnits, ctx: Context) -> None:
    _require_reference_admin(ctx)
    with ctx.uow:
        source, target = org_unit(ctx, cmd.source_id), org_unit(ctx, cmd.target_id)
        org.merge(source, target, ctx.uow.org_units.all(), cmd.on)
        ctx.uow.commit()


def close_org_unit(cmd: commands.CloseOrgUnit, ctx: Context) -> None:
    _require_reference_admin(ctx)
    with ctx.uow:
        unit = org_unit(ctx, cmd.unit_id)
        open_children = ctx.hierarchy().children(unit.id, cmd.on)
        if open_children:
            raise Conflict(f"{unit.name_mn}-д {len(open_children)} нээлттэй харьяа нэгж байна; эхлээд шилжүүлэх "
                           "эсвэл нэгтгэнэ үү.", f"{unit.name_en or unit.code} still has {len(open_children)} open "
                           "units under it: move them or merge first.", code="org_has_children")
        unit.close(cmd.on)
        ctx.uow.commit()


def set_catchment(cmd: commands.SetCatchment, ctx: Context) -> None:
    with ctx.uow:
        access.require(access.sets_catchment(ctx.actor, cmd.school_id, ctx.hierarchy(), ctx.clock.today()),
                       "хамран сургах тойрог тогтоох", "set this school's catchment")
        org_unit(ctx, cmd.school_id).set_catchment(cmd.area_codes)
        ctx.uow.commit()
