"""``python -m bench.synthetic.activity --data DIR [--day 2023-10-02] [--term 1] [--seed 1]``."""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

from tqdm import tqdm

from bench.synthetic.activity import simulate
from bench.synthetic.activity.source import (
    SchoolClass,
    rates,
    school_classes,
    school_days,
    schools_by_aimag,
    year_school_days,
)
from bench.synthetic.writer import read_manifest

DEFAULT_DAY = date(2023, 10, 2)


def write_jsonl(path: Path, requests: Iterable[dict[str, Any]], items_key: str | None = None) -> dict[str, int]:
    """Write one JSON object per line; returns how many requests (and items inside them) were written."""
    counts = {"requests": 0, "items": 0}
    with path.open("w", encoding="utf-8") as handle:
        for request in requests:
            handle.write(json.dumps(request, ensure_ascii=False, separators=(",", ":")) + "\n")
            counts["requests"] += 1
            counts["items"] += len(request[items_key]) if items_key else 1
    return counts


def simulate_all(data: Path, out: Path, *, day: date, term: int, seed: int, quiet: bool = True) -> dict[str, Any]:
    out.mkdir(parents=True, exist_ok=True)
    cfg, days = rates(), school_days(data, term)
    if day.weekday() >= 5:
        raise SystemExit(f"{day} is not a school day")

    def classes(what: str) -> Iterable[SchoolClass]:
        return tqdm(school_classes(data), desc=what, unit=" classes", disable=quiet)

    files = {
        f"attendance-{day.isoformat()}.jsonl": write_jsonl(
            out / f"attendance-{day.isoformat()}.jsonl", simulate.attendance_day(classes("attendance"), day, cfg,
                                                                                  seed), "records"),
        f"marks-term-{term}.jsonl": write_jsonl(
            out / f"marks-term-{term}.jsonl", simulate.term_marks(classes("marks"), term, days, cfg, seed), "marks"),
        f"movements-term-{term}.jsonl": write_jsonl(
            out / f"movements-term-{term}.jsonl", simulate.movements(
                classes("movements"), schools_by_aimag(data), days, year_school_days(data), cfg, seed)),
    }
    manifest = {"synthetic": True, "dataset_seed": read_manifest(data)["seed"], "seed": seed,
                "day": day.isoformat(), "term": term, "files": files}
    (out / "activity.json").write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.synthetic.activity", description=__doc__)
    parser.add_argument("--data", type=Path, required=True, help="a directory written by python -m bench.synthetic")
    parser.add_argument("--out", type=Path, help="default: DATA/activity")
    parser.add_argument("--day", type=date.fromisoformat, default=DEFAULT_DAY)
    parser.add_argument("--term", type=int, default=1, choices=(1, 2, 3, 4))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    manifest = simulate_all(args.data, args.out or args.data / "activity", day=args.day, term=args.term,
                            seed=args.seed, quiet=args.quiet)
    for name, counts in manifest["files"].items():
        print(f"{name:<32} {counts['requests']:>10,} requests {counts['items']:>12,} items")


if __name__ == "__main__":
    main()
