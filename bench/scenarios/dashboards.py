"""Scenario 5: national dashboard queries (p50/p99) and a full statistics rebuild from the log (time).

Needs the stats service; until it lands this scenario reports that and never a figure.
"""

from __future__ import annotations

from bench.context import RunContext
from bench.results import ScenarioResult
from bench.scenarios.availability import missing

TITLE = "National dashboards"


def run(ctx: RunContext) -> ScenarioResult:
    reason = missing("stats", "its dashboard queries and rebuild command")
    return ScenarioResult(5, TITLE, status="not available", notes=[reason])
