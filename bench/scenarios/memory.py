"""Scenario 6: resident memory of each service at idle and at its peak under scenario 1's load.

The baseline is the bare uvicorn endpoint's process. If scenario 1 did not run in this run, it runs here
(its figures are then not reported, only the memory it caused).
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
    return result
