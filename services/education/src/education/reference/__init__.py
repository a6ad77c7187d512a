"""Reference data shipped with the service: first-level units and UB districts (from the NSO list), and a short
demo list of soums (codes here are illustrative, labelled demo; load the official soum list in production)."""

from __future__ import annotations

import csv
import uuid
from dataclasses import dataclass
from importlib import resources

MINISTRY_CODE = "MN"
_NAMESPACE = uuid.UUID("6f1f9d53-93a4-4d6b-9a38-2a4f3c7f0e11")


@dataclass(frozen=True)
class UnitRow:
    code: str
    name_mn: str
    name_en: str
    kind: str
    parent_code: str


def org_id(code: str) -> str:
    """A stable id per unit code, so every installation and every test names a unit the same way."""
    return str(uuid.uuid5(_NAMESPACE, f"org:{code}"))


def _rows(name: str) -> list[dict[str, str]]:
    with resources.files(__package__).joinpath(name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def admin_units() -> list[UnitRow]:
    """Ulaanbaatar, the 21 aimags and UB's 9 districts, parents before children."""
    rows = [UnitRow(r["nso_code"], r["name_mn"], r["name_en"], r["kind"], r["parent_nso_code"] or MINISTRY_CODE)
            for r in _rows("admin_units.csv")]
    return sorted(rows, key=lambda r: r.kind == "district")


def demo_soums() -> list[UnitRow]:
    rows = _rows("demo_soums.csv")
    return [UnitRow(r["code"], r["name_mn"], r["name_en"], "soum", r["parent_nso_code"]) for r in rows]
