"""HTTP load with wrk (bounded in time, loopback only): requests/s and latency percentiles."""

from __future__ import annotations

import json
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

SCRIPT = Path(__file__).parent / "wrk_report.lua"


class WrkMissing(RuntimeError):
    """wrk is not installed (apt-get install -y wrk)."""


@dataclass(frozen=True)
class Load:
    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int  # socket errors + non-2xx responses


def run(url: str, *, seconds: float, connections: int, threads: int = 1, token: str | None = None) -> Load:
    if not url.startswith("http://127."):
        raise ValueError(f"benchmarks only target loopback, not {url}")
    wrk = shutil.which("wrk")
    if wrk is None:
        raise WrkMissing("wrk is not installed: apt-get install -y wrk")
    argv = [wrk, f"-t{threads}", f"-c{connections}", f"-d{max(1, round(seconds))}s", "--timeout", "5s",
            "-s", str(SCRIPT), url]
    if token:
        argv[1:1] = ["-H", f"Authorization: Bearer {token}"]
    out = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 30, check=True)
    report = json.loads(out.stdout.strip().splitlines()[-1])
    seconds_run = report["duration_us"] / 1e6
    return Load(report["requests"] / seconds_run, report["p50_us"] / 1000, report["p99_us"] / 1000,
                report["requests"], report["socket_errors"] + report["non2xx"])
