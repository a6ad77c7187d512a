"""Scenario 4: a national attendance day (≈ 30 k class submissions, ≈ 780 k marks) through the gateway.

The requests exist (``python -m bench.synthetic.activity`` writes attendance-<day>.jsonl); the service that
takes them (teacher's e-journal) does not yet, so this scenario reports that and never a figure.
"""

from __future__ import annotations

from bench.context import RunContext
from bench.results import ScenarioResult
from bench.scenarios.availability import missing

TITLE = "National attendance day"


def run(ctx: RunContext) -> ScenarioResult:
    reason = missing("teacher", "its attendance submission API")
    return ScenarioResult(4, TITLE, status="not available", notes=[reason])
