"""The benchmark scenarios of issue 8, by number; each module has TITLE and ``run(ctx) -> ScenarioResult``."""

from __future__ import annotations

from types import ModuleType

from bench.scenarios import attendance_day, dashboards, event_pipeline, memory, national_load, portal_reads

SCENARIOS: dict[int, ModuleType] = {1: portal_reads, 2: national_load, 3: event_pipeline, 4: attendance_day,
                                    5: dashboards, 6: memory}
