"""``python scripts/demo --gateway URL``: load the demo data through the gateway; prints one line per demo login."""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

if __package__ in (None, ""):  # run as a folder: import ``demo`` from scripts/, and not this folder's
    # education.py, hr.py … in place of the services' packages of the same names
    here = Path(__file__).resolve().parent
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != here]
    sys.path.insert(0, str(here.parent))
    sys.path.insert(1, str(here.parent.parent))  # the repository root: bench.synthetic and bench.loaders

import httpx
from education import reference
from esis_shared import clock

from demo import education, hr, parent, synthetic
from demo.api import ADMIN, UB, login
from demo.identity import Demo, DemoAccount, banner_line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--gateway", default="http://127.0.0.1:8000")
    parser.add_argument("--synthetic-scale", type=float, default=None,
                        help=f"the synthetic country's scale after the demo school (0 skips it; default "
                             f"{synthetic.ENV} or {synthetic.DEFAULT_SCALE})")
    args = parser.parse_args()
    scale = synthetic.scale_from_env({synthetic.ENV: str(args.synthetic_scale)} if args.synthetic_scale is not None
                                     else os.environ)
    today = clock.today(UB)  # ESIS_TODAY when make run chose a school day
    with httpx.Client(base_url=args.gateway, timeout=30) as client:
        demo = Demo(client, login(client, *ADMIN))
        demo.account(DemoAccount("ministry.demo", "ministry", "Яамны мэргэжилтэн (demo)"))
        demo.account(DemoAccount("ub.officer.demo", "aimag_officer", "НББГ-ын мэргэжилтэн (demo)",
                                 org_ids=(reference.org_id("11"),)))
        education.load(demo, today)
        hr.load(demo)
        parent.load(demo)
        country = synthetic.load(args.gateway, demo.ministry.token, demo.year_id, scale)
    lines = [f"{ADMIN[0]:<22} {ADMIN[1]:<16} platform administrator (ministry)"]
    if country is not None:  # the supervisor's banner shows this line apart from the logins
        lines.append(country.banner_line())
    sys.stdout.write("\n".join([*lines, *map(banner_line, demo.accounts)]) + "\n")


if __name__ == "__main__":
    main()
