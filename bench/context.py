"""Options of a run and the context every scenario receives (the started stack, the synthetic dataset)."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench.results import RESULTS_DIR
from bench.stack import Stack
from bench.synthetic import generate


@dataclass(frozen=True)
class Options:
    quick: bool
    seconds: float        # wrk duration per target (scenario 1)
    warmup: float
    connections: int      # fixed concurrency of scenario 1
    scale: float          # synthetic country for scenarios 2 and 3
    seed: int
    events: int           # events through the pipeline (scenario 3)
    accounts_seconds: float  # time box for identity's account load step (scenario 2)

    @classmethod
    def for_mode(cls, quick: bool) -> Options:
        if quick:
            return cls(True, seconds=8, warmup=2, connections=16, scale=0.01, seed=1, events=2_000,
                       accounts_seconds=15)
        return cls(False, seconds=30, warmup=5, connections=16, scale=1.0, seed=1, events=20_000,
                   accounts_seconds=60)


@dataclass
class RunContext:
    options: Options
    stack: Stack = field(default_factory=Stack)
    data_dir: Path = RESULTS_DIR / "data"

    def dataset(self) -> Path:
        """The synthetic country at the run's scale and seed, generated once and kept in bench/results/data."""
        out = self.data_dir / f"scale-{self.options.scale:g}-seed-{self.options.seed}"
        stamp = out / "generator.sha256"
        if (out / "manifest.json").exists() and stamp.exists() and stamp.read_text() == _generator_digest():
            return out
        started = time.perf_counter()
        print(f"  generating the synthetic country at scale {self.options.scale:g} into {out} …", flush=True)
        generate(out, scale=self.options.scale, seed=self.options.seed)
        stamp.write_text(_generator_digest())
        print(f"  … done in {time.perf_counter() - started:.1f} s", flush=True)
        return out


def _generator_digest() -> str:
    """Changes whenever the generator's code or reference data change, so a cached dataset is never stale."""
    root = Path(__file__).parent / "synthetic"
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.suffix in (".py", ".yaml", ".csv")):
        digest.update(path.relative_to(root).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()
