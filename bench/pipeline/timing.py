"""What a consuming process measures: when each record was produced (Kafka CreateTime) and when it was done."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class Timing:
    done: int = 0
    first_produced_ms: float = float("inf")
    last_done_ms: float = 0.0
    lags_ms: list[float] = field(default_factory=list)

    def record(self, produced_ms: float) -> None:
        now = time.time() * 1000
        self.done += 1
        self.first_produced_ms = min(self.first_produced_ms, produced_ms)
        self.last_done_ms = now
        self.lags_ms.append(now - produced_ms)

    def write(self, path: Path) -> None:
        lags = sorted(self.lags_ms) or [0.0]
        window_s = max(self.last_done_ms - self.first_produced_ms, 1.0) / 1000
        path.write_text(json.dumps({"done": self.done, "seconds": window_s, "events_per_s": self.done / window_s,
                                    "lag_p50_ms": _pct(lags, 0.50), "lag_p99_ms": _pct(lags, 0.99),
                                    "lag_max_ms": lags[-1]}))


def _pct(values: list[float], q: float) -> float:
    return values[min(len(values) - 1, int(q * len(values)))]
