"""``python -m bench.synthetic --scale 0.01 --seed 1 --out DIR`` — generate a synthetic country."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from tqdm import tqdm

from bench.synthetic.generate import MAX_SCALE, MIN_SCALE, generate, planned_children


def _scale(value: str) -> float:
    scale = float(value)
    if not MIN_SCALE <= scale <= MAX_SCALE:
        raise argparse.ArgumentTypeError(f"--scale must be within {MIN_SCALE}..{MAX_SCALE}")
    return scale


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.synthetic", description=__doc__)
    parser.add_argument("--scale", type=_scale, default=0.01, help="share of the real country (0.001 … 1)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True, help="output directory (CSV per entity + manifest)")
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    total = planned_children(args.scale, args.seed)
    with tqdm(total=total, unit=" learners", unit_scale=True, disable=args.quiet, file=sys.stderr) as bar:
        manifest = generate(args.out, scale=args.scale, seed=args.seed, progress=bar.update)
    rows = sum(f["rows"] for f in manifest["files"].values())
    print(f"{rows:,} rows in {time.perf_counter() - started:.1f} s -> {args.out}  {manifest['summary']}")


if __name__ == "__main__":
    main()
