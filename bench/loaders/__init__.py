"""Scenario 2's load steps: each service's own bulk path, one step per service, plugged in here.

A step loads some of the generated files (``entities``) into one running service through that service's own
interface (never another service's database) and returns how many rows it loaded in how long. The runner compares
its rows/s with a raw PostgreSQL COPY of the same files measured in the same run.

To plug in a service's bulk path: write ``bench/loaders/<service>.py`` with a ``STEP = LoadStep(...)`` and add it
to ``STEPS``; remove the service from ``PENDING``.
"""

from __future__ import annotations

from bench.loaders import education, hr, identity_accounts
from bench.loaders.base import LoadStep, StepOutcome

STEPS: list[LoadStep] = [identity_accounts.STEP, education.STEP, hr.STEP]

# Steps not written yet: the files each will load, and what it waits for.
PENDING: dict[str, tuple[tuple[str, ...], str]] = {
    "education timetables": (("timetable",), "education has no bulk path for timetables yet (the per-class editor "
                             "checks conflicts one class at a time)"),
    "hr assignments": (("assignments",), "hr's assignment API takes hr's own staff ids and the classes hr copies "
                       "from education's events; no bulk path yet"),
}

__all__ = ["PENDING", "STEPS", "LoadStep", "StepOutcome"]
