"""Scenario 2: load the synthetic country through each service's own path, vs raw COPY of the same rows.

The baseline COPYs every generated file into plain typed tables of a fresh database. Each load step (see
``bench.loaders``) is compared with the COPY rate of the files it loads. Steps of services that have no bulk path
yet are reported as not available; a step that is time-boxed also reports the projected time for everything.
"""

from __future__ import annotations

from pathlib import Path

from bench.context import RunContext
from bench.loaders import PENDING, STEPS, LoadStep
from bench.loaders.copy_baseline import Copied, copy_all, rate_of
from bench.results import Figure, ScenarioResult
from bench.synthetic.writer import read_manifest

TITLE = "National load"


def run(ctx: RunContext) -> ScenarioResult:
    data = ctx.dataset()
    manifest = read_manifest(data)
    result = ScenarioResult(2, TITLE, notes=[f"synthetic country at scale {manifest['scale']:g} "
                                             f"({sum(f['rows'] for f in manifest['files'].values()):,} rows)"])
    copied = copy_all(ctx.stack.database("bench_copy"), data)
    rows, seconds = sum(c.rows for c in copied.values()), sum(c.seconds for c in copied.values())
    result.add(Figure("raw COPY of all generated rows", rows / seconds, "rows/s",
                      note=f"{rows:,} rows in {seconds:.2f} s"))
    for step in STEPS:
        _step(ctx, result, step, data, copied)
    for service, (entities, reason) in PENDING.items():
        result.notes.append(f"{service} step ({', '.join(entities)}): {reason}")
    result.notes.append("'statistics reflect the whole country' (≤ 5 min target): not available until stats lands")
    return result


def _step(ctx: RunContext, result: ScenarioResult, step: LoadStep, data: Path, copied: dict[str, Copied]) -> None:
    outcome = step.run(ctx, data)
    baseline = rate_of(copied, step.entities)
    result.add(Figure(f"{step.name} rows/s", outcome.rows_per_s, "rows/s", baseline,
                      f"COPY of {'+'.join(step.entities)}", "≥ 10 % of raw COPY",
                      note=f"{outcome.rows:,} of {outcome.total_rows:,} in {outcome.seconds:.1f} s; "
                           + "; ".join(outcome.notes)))
    if outcome.rows < outcome.total_rows and outcome.rows_per_s:
        scale = read_manifest(data)["scale"]
        hours = outcome.total_rows / scale / outcome.rows_per_s / 3600
        result.add(Figure(f"{step.name}: projected time at scale 1", hours, "h", target="≤ 5 min (0.083 h)",
                          note="projection from the measured rate, not a measurement"))
