"""Load the shipped reference hierarchy at first start; re-running creates nothing new."""

from __future__ import annotations

from datetime import date

from education import reference
from education.domain.org import OrgKind, OrgUnit
from education.service_layer.unit_of_work import AbstractUnitOfWork

EPOCH = date(1990, 1, 1)


def load_hierarchy(uow: AbstractUnitOfWork, *, with_demo_soums: bool = False, opened_on: date = EPOCH) -> int:
    """Create the ministry, the 22 first-level units, UB's districts (and demo soums); returns how many were new."""
    rows = reference.admin_units() + (reference.demo_soums() if with_demo_soums else [])
    with uow:
        created = 0
        if _ensure(uow, reference.MINISTRY_CODE, "Боловсролын яам", "Ministry of Education", OrgKind.MINISTRY,
                   None, opened_on):
            created += 1
        for row in rows:
            if _ensure(uow, row.code, row.name_mn, row.name_en, OrgKind(row.kind), row.parent_code, opened_on):
                created += 1
        uow.commit()
        return created


def _ensure(uow: AbstractUnitOfWork, code: str, name_mn: str, name_en: str, kind: OrgKind, parent_code: str | None,
            opened_on: date) -> bool:
    if uow.org_units.get(reference.org_id(code)) is not None:
        return False
    parent = uow.org_units.get(reference.org_id(parent_code)) if parent_code else None
    unit = OrgUnit.create(id=reference.org_id(code), kind=kind, code=code, name_mn=name_mn, name_en=name_en,
                          parent=parent, opened_on=opened_on)
    uow.org_units.add(unit)
    return True
