"""A small synthetic country after the hand-made demo: ``bench.synthetic`` generates it (deterministic seed) and
the bench loaders send it through each service's own bulk path, here through the gateway as the platform
administrator:

* education — soums and institutions (``POST /api/education/v1/bulk/org-units``), classes in the demo's school year
  (``…/bulk/classes``), learners with guardians, links and enrolments from the year's first day
  (``…/bulk/learners``);
* hr — every institution's staff (``POST /api/hr/v1/bulk/staff``);
* identity — an account per staff member and per guardian, without passwords (``POST
  /api/identity/v1/accounts:bulk``).

The generator's Ulaanbaatar, aimags and districts are the ones education ships (same NSO codes), so the synthetic
schools sit in the real hierarchy next to the demo schools. Everything else is labelled: soums and institutions get
"SYN-" codes and "(synthetic)" names, register numbers start with Ъ (no real one does, and none of the demo's),
phone numbers with 0, accounts are ``s-<uuid>`` and ``p-<uuid>``; ids are the generator's random UUIDs.

The country is generated for the demo's school year (``generate(school_year=...)``), so learners' ages fit their
grades. Timetables and teaching assignments are not loaded (no bulk path yet).
"""

from __future__ import annotations

import os
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from education import reference

from bench.loaders import education as edu_loader
from bench.loaders import hr as hr_loader
from bench.loaders import identity_accounts as identity_loader
from bench.synthetic import generate
from bench.synthetic.generate import MIN_SCALE
from bench.synthetic.writer import read_rows

ENV = "ESIS_DEMO_SCALE"
DEFAULT_SCALE = 0.001
SEED = 20260901
SHIPPED_KINDS = {"ministry", "capital", "aimag", "district"}  # education's reference units, same codes
INSTITUTIONS = {"school", "kindergarten"}
LABEL = " (synthetic)"
EVERYTHING = float("inf")  # the bench loaders' time box: load it all


class SyntheticLoadFailed(SystemExit):
    pass


@dataclass(frozen=True)
class Loaded:
    scale: float
    seed: int
    schools: int
    kindergartens: int
    classes: int
    learners: int
    guardians: int
    staff: int
    accounts: int
    seconds: float
    already: bool = False

    def banner_line(self) -> str:
        what = (f"{self.schools:,} schools, {self.kindergartens:,} kindergartens, {self.classes:,} classes, "
                f"{self.learners:,} learners, {self.guardians:,} guardians, {self.staff:,} staff, "
                f"{self.accounts:,} accounts")
        how = "already on record (kept data)" if self.already else f"loaded in {self.seconds:.1f} s"
        return (f"Synthetic country (scale {self.scale:g}, seed {self.seed}): {what} — {how}; "
                f"{ENV}=0 skips it")


def scale_from_env(environ: dict[str, str] | os._Environ[str] = os.environ) -> float:
    """``ESIS_DEMO_SCALE``: 0 skips the synthetic country; otherwise a share of the real one (0.001 … 1)."""
    text = environ.get(ENV, "").strip()
    if not text:
        return DEFAULT_SCALE
    try:
        scale = float(text)
    except ValueError:
        raise SystemExit(f"demo data: {ENV}={text!r} is not a number (0 skips the synthetic country)") from None
    if scale != 0 and not MIN_SCALE <= scale <= 1:
        raise SystemExit(f"demo data: {ENV} must be 0 (skip) or within {MIN_SCALE:g}..1, not {text}")
    return scale


class _RetryTooFast(httpx.HTTPTransport):
    """Waits out the gateway's rate limit (429 + Retry-After) instead of failing, like ``demo.api.Api``."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        for _ in range(20):
            response = super().handle_request(request)
            if response.status_code != 429:
                return response
            response.read()
            response.close()
            time.sleep(float(response.headers.get("Retry-After", "1")))
        return response


def load(gateway_url: str, token: str, year_id: str, scale: float, seed: int = SEED) -> Loaded | None:
    """Generate the country and load it through the gateway; None when ``scale`` is 0."""
    if scale == 0:
        return None
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="esis-demo-synthetic-") as folder:
        data = Path(folder)
        generate(data, scale=scale, seed=seed, school_year=int(year_id[:4]))  # ages fit the demo year's grades
        units = synthetic_units(data)
        institutions = [u for u in units if u["kind"] in INSTITUTIONS]
        with httpx.Client(base_url=gateway_url, headers={"Authorization": f"Bearer {token}"}, timeout=600,
                          transport=_RetryTooFast()) as client:
            already = client.get(f"{edu_loader.API}/org-units/{institutions[0]['id']}/children").status_code == 200
            if not already:
                _send(client, data, units, year_id)
            elif not _last_account_on_record(client, data):
                raise SyntheticLoadFailed("demo data: the synthetic country of a kept run (ESIS_KEEP_DATA=1) stopped "
                                          "halfway: start without ESIS_KEEP_DATA, or with ESIS_DEMO_SCALE=0")
        counts = _counts(data, institutions)
    return Loaded(scale, seed, **counts, seconds=time.perf_counter() - started, already=already)


def _send(client: httpx.Client, data: Path, units: list[dict[str, Any]], year_id: str) -> None:
    try:
        edu_loader.post_all(client, "/bulk/org-units", "units", iter(units))
        edu_loader.post_all(client, "/bulk/classes", "classes", edu_loader.classes(data, year_id))
    except edu_loader.LoadFailed as exc:
        raise SyntheticLoadFailed(f"demo data: synthetic country: {exc}") from None
    _, failures = edu_loader.load_learners(client, data, f"{year_id[:4]}-09-01", EVERYTHING)
    _check(failures, "education's bulk learners")
    _, failures = hr_loader.post_staff(client, hr_loader.staff_rows(data), EVERYTHING)
    _check(failures, "hr's bulk staff")
    _, failures, _ = identity_loader.create(client, identity_loader.batches(identity_loader.accounts(data)),
                                            EVERYTHING)
    _check(failures, "identity's bulk accounts")


def _last_account_on_record(client: httpx.Client, data: Path) -> bool:
    """identity's accounts are the step's last writes: the last one on record means the country is complete."""
    *_, last = identity_loader.accounts(data)
    found = client.get("/api/identity/v1/accounts", params={"q": last["username"]})
    return found.status_code == 200 and any(a["username"] == last["username"] for a in found.json()["items"])


def _check(failures: int, what: str) -> None:
    if failures:
        raise SyntheticLoadFailed(f"demo data: synthetic country: {failures} request(s) to {what} failed (the "
                                  "response is printed above); nothing of a failed request was saved")


def synthetic_units(data: Path) -> list[dict[str, Any]]:
    """The bench loader's unit rows, fitted to a running platform: the generator's ministry, capital, aimags and
    districts become education's shipped units of the same codes (not sent); only soums that hold an institution
    are sent; soums and institutions get "SYN-" codes and "(synthetic)" names."""
    rows = list(edu_loader.units(data))
    on_record = {r["id"]: reference.org_id(r["code"]) for r in rows if r["kind"] in SHIPPED_KINDS}
    institutions = [r for r in rows if r["kind"] in INSTITUTIONS]
    used = {r["parent_id"] for r in institutions}
    soums = [r for r in rows if r["kind"] not in SHIPPED_KINDS | INSTITUTIONS and r["id"] in used]
    out = []
    for row in [*soums, *institutions]:
        code = row["code"] if row["code"].startswith("SYN-") else f"SYN-{row['code']}"
        out.append({**row, "code": code[:40], "name_mn": row["name_mn"] + LABEL,
                    "name_en": (row["name_en"] or row["name_mn"]) + LABEL,
                    "parent_id": on_record.get(row["parent_id"], row["parent_id"])})
    return out


def _counts(data: Path, institutions: list[dict[str, Any]]) -> dict[str, int]:
    staff = sum(1 for _ in read_rows(data, "staff"))
    guardians = sum(1 for _ in read_rows(data, "guardians"))
    return {"schools": sum(1 for u in institutions if u["kind"] == "school"),
            "kindergartens": sum(1 for u in institutions if u["kind"] == "kindergarten"),
            "classes": sum(1 for _ in read_rows(data, "classes")),
            "learners": sum(1 for _ in read_rows(data, "learners")),
            "guardians": guardians, "staff": staff, "accounts": staff + guardians}
