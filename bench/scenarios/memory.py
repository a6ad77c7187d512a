"""Scenario 6: resident memory of each service at idle and at its peak under scenario 1's load.

Scenario 1's portal set (identity, teacher, parent, stats, education, the gateway) is measured idle after its
seeding and at its peak while wrk runs the four portal reads; the baseline is the bare uvicorn endpoint's process.
Every other process the run started (by the scenarios before this one) is reported as it stands now, after its
scenario. If scenario 1 did not run in this run, it runs here (its figures are then not reported, only the memory).
"""

from __future__ import annotations

from bench.context import RunContext
from bench.results import Figure, ScenarioResult
from bench.scenarios import portal_reads
from bench.stack import BARE

TITLE = "Memory (RSS)"


def run(ctx: RunContext) -> ScenarioResult:
    result = ScenarioResult(6, TITLE)
    if "under_load" not in ctx.stack.memory:
        portal_reads.run(ctx)
        result.notes.append("scenario 1's load was run for this measurement")
    idle, peak = ctx.stack.memory["idle"], ctx.stack.memory["under_load"]
    for name in sorted(n for n in idle if n != BARE):
        result.add(Figure(f"{name} idle", idle[name], "MiB", idle[BARE], "bare uvicorn idle"))
        result.add(Figure(f"{name} peak under scenario 1", peak[name], "MiB", peak[BARE], "bare uvicorn peak"))
    result.add(Figure("bare uvicorn idle", idle[BARE], "MiB"))
    result.add(Figure("bare uvicorn peak under scenario 1", peak[BARE], "MiB"))
    others = {name: proc.rss_mib() for name, proc in ctx.stack.procs.items() if name not in idle}
    for name, rss in sorted(others.items()):
        result.add(Figure(f"{name} after its scenarios", rss, "MiB", idle[BARE], "bare uvicorn idle"))
    result.notes.append("scenario 1's services: its portal set, stopped at its end; measured idle after seeding "
                        "(2 s settle) and at the peak sampled every 0.2 s under wrk")
    if others:
        result.notes.append("\"after its scenarios\": processes other scenarios started, measured when this "
                            "scenario ran (not under scenario 1's load)")
    return result
