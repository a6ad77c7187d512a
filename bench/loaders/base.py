"""The contract between scenario 2 and a service's load step."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bench.context import RunContext


@dataclass
class StepOutcome:
    rows: int                 # rows (or accounts, events …) the service accepted
    seconds: float
    total_rows: int           # rows of ``entities`` in the dataset (more than ``rows`` when the step is time-boxed)
    notes: list[str] = field(default_factory=list)

    @property
    def rows_per_s(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class LoadStep:
    name: str
    service: str
    entities: tuple[str, ...]   # generated files whose rows this step loads (the COPY baseline uses the same)
    bulk: bool                  # False: the service has no bulk path and the step uses its per-item API
    run: Callable[[RunContext, Path], StepOutcome]
