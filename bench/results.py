"""Figures, the printed table, the JSON result file and the machine description."""

from __future__ import annotations

import json
import os
import platform
import subprocess
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

RESULTS_DIR = Path(__file__).parent / "results"


@dataclass
class Figure:
    """One measured number, with the bare baseline measured in the same run (if the figure has one)."""

    name: str
    value: float
    unit: str
    baseline: float | None = None
    baseline_name: str = ""
    target: str = ""
    note: str = ""

    @property
    def ratio(self) -> float | None:
        if self.baseline in (None, 0):
            return None
        return self.value / self.baseline


@dataclass
class ScenarioResult:
    number: int
    title: str
    status: str = "ok"  # ok | not available | failed
    figures: list[Figure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        print(f"  {figure.name}: {_value(figure)}" + (f"  ({_ratio(figure)} {figure.baseline_name})"
                                                      if figure.ratio is not None else ""), flush=True)
        return figure

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        for figure, raw in zip(self.figures, data["figures"], strict=True):
            raw["ratio"] = figure.ratio
        return data


def machine() -> dict[str, Any]:
    return {"nproc": os.cpu_count(), "memory_gib": round(_mem_total_kib() / 1024 ** 2, 1),
            "cpu_model": _cpu_model(), "python": platform.python_version(), "kernel": platform.release(),
            "load_average_at_start": [round(x, 2) for x in os.getloadavg()], "wrk": _version(["wrk", "-v"])}


def _mem_total_kib() -> int:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1])
    return 0


def _cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def _version(argv: list[str]) -> str:
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=5)
    except (OSError, subprocess.TimeoutExpired):
        return "not installed"
    return (out.stdout or out.stderr).strip().splitlines()[0] if (out.stdout or out.stderr) else ""


def _value(figure: Figure) -> str:
    value = figure.value
    text = f"{value:,.0f}" if abs(value) >= 100 else f"{value:,.2f}"
    return f"{text} {figure.unit}"


def _ratio(figure: Figure) -> str:
    ratio = figure.ratio
    if ratio is None:
        return ""
    if ratio >= 1:
        return f"{ratio:.2f}x"
    return f"{ratio:.1%}" if ratio >= 0.01 else f"{ratio * 100:.2g}%"


def table(results: list[ScenarioResult]) -> str:
    """Markdown table: one line per figure; scenarios without figures show their status."""
    lines = ["| # | Scenario | Figure | Value | Bare baseline | Ratio | Target |", "|---|---|---|---|---|---|---|"]
    for result in results:
        if not result.figures:
            lines.append(f"| {result.number} | {result.title} | {result.status}: {_cell('; '.join(result.notes))} "
                         "| – | – | – | – |")
        for figure in result.figures:
            baseline = "–" if figure.baseline is None else f"{_value(Figure('', figure.baseline, figure.unit))} " \
                                                            f"({figure.baseline_name})"
            lines.append(f"| {result.number} | {result.title} | {figure.name} | {_value(figure)} | {baseline} "
                         f"| {_ratio(figure) or '–'} | {figure.target or '–'} |")
    return "\n".join(lines)


def _cell(text: str, limit: int = 160) -> str:
    flat = " ".join(text.split()).replace("|", "/")
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


def write(results: list[ScenarioResult], options: dict[str, Any], info: dict[str, Any]) -> Path:
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    payload = {"finished_at": stamp, "options": options, "machine": info,
               "scenarios": [r.as_dict() for r in results]}
    path = RESULTS_DIR / f"bench-{stamp}.json"
    text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    path.write_text(text, encoding="utf-8")
    (RESULTS_DIR / "latest.json").write_text(text, encoding="utf-8")
    return path
