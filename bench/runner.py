"""``python -m bench [--quick] [--only N[,N…]]``: run the scenarios, print each figure and the table, write JSON.

The runner starts what it needs (PostgreSQL databases on 127.0.0.1:5432, identity, the gateway, a bare
uvicorn endpoint, a Tansu broker — all on free loopback ports) and stops all of it at the end.
"""

from __future__ import annotations

import argparse
import dataclasses
import time
import traceback

from bench.context import Options, RunContext
from bench.results import ScenarioResult, machine, table, write
from bench.scenarios import SCENARIOS


def parse(argv: list[str] | None) -> tuple[Options, list[int]]:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="reduced run: a few minutes on 2 cores")
    parser.add_argument("--only", default="", help="scenario numbers, e.g. 1 or 1,3")
    parser.add_argument("--scale", type=float, help="the synthetic country every scenario uses (quick 0.01, full 1)")
    parser.add_argument("--seed", type=int)
    parser.add_argument("--seconds", type=float, help="wrk duration per target in scenario 1")
    parser.add_argument("--connections", type=int, help="wrk connections in scenario 1")
    parser.add_argument("--events", type=int, help="events through the pipeline in scenario 3")
    args = parser.parse_args(argv)
    options = Options.for_mode(args.quick)
    overrides = {k: v for k in ("scale", "seed", "seconds", "connections", "events")
                 if (v := getattr(args, k)) is not None}
    only = sorted({int(n) for n in args.only.split(",") if n.strip()}) or sorted(SCENARIOS)
    unknown = [n for n in only if n not in SCENARIOS]
    if unknown:
        parser.error(f"no scenario {unknown}; scenarios are {sorted(SCENARIOS)}")
    return dataclasses.replace(options, **overrides), only


def run_one(ctx: RunContext, number: int) -> ScenarioResult:
    module = SCENARIOS[number]
    print(f"\n== scenario {number}: {module.TITLE}", flush=True)
    started = time.perf_counter()
    try:
        result = module.run(ctx)
    except Exception as exc:  # one broken scenario must not hide the others' figures
        traceback.print_exc()
        result = ScenarioResult(number, module.TITLE, status="failed", notes=[f"{type(exc).__name__}: {exc}"[:300]])
    result.seconds = time.perf_counter() - started
    for note in result.notes:
        print(f"  note: {note}")
    print(f"  ({result.status}, {result.seconds:.0f} s)", flush=True)
    return result


def main(argv: list[str] | None = None) -> None:
    options, only = parse(argv)
    info = machine()
    print(f"open ESIS benchmarks ({'quick' if options.quick else 'full'}) on {info['nproc']} cores, "
          f"{info['memory_gib']} GiB, {info['cpu_model']}; load average {info['load_average_at_start']}")
    ctx = RunContext(options)
    try:
        results = [run_one(ctx, number) for number in only]
    finally:
        ctx.stack.close()
    path = write(results, dataclasses.asdict(options), info)
    print("\n" + table(results))
    print(f"\nresults: {path}")
