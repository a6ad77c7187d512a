"""Child processes of a benchmark run: started on free loopback ports, stopped by their own PID only."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from esis_shared.testing.processes import free_port, port_open

HOST = "127.0.0.1"
ROOT = Path(__file__).resolve().parent.parent  # children run in temp dirs but must import ``bench``


class StartFailed(RuntimeError):
    """A process did not become ready; the message carries the end of its log."""


@dataclass
class Proc:
    name: str
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    def log_tail(self, chars: int = 3000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def rss_mib(self) -> float:
        return rss_mib(self.process.pid)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


def start(name: str, argv: list[str], *, env: dict[str, str] | None = None, port: int | None = None) -> Proc:
    """Run ``argv`` in its own temp dir (so dev keys and stray files stay out of the repo)."""
    workdir = Path(tempfile.mkdtemp(prefix=f"esis-bench-{name}-"))
    log_path = workdir / f"{name}.log"
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")}
    child_env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), child_env.get("PYTHONPATH")]))
    child_env.update(env or {})
    with log_path.open("wb") as log:
        process = subprocess.Popen(argv, cwd=workdir, env=child_env, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
    return Proc(name, process, port or 0, log_path)


def python_module(name: str, module: str, *args: str, env: dict[str, str] | None = None,
                  port: int | None = None) -> Proc:
    return start(name, [sys.executable, "-m", module, *args], env=env, port=port)


def wait_http(proc: Proc, path: str, timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.process.poll() is not None:
            raise StartFailed(f"{proc.name} exited with {proc.process.returncode}:\n{proc.log_tail()}")
        if port_open(HOST, proc.port, timeout=0.2) and _ok(proc.url + path):
            return
        time.sleep(0.2)
    proc.stop()
    raise StartFailed(f"{proc.name} was not ready at {path} within {timeout:.0f} s:\n{proc.log_tail()}")


def wait_port(proc: Proc, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.process.poll() is not None:
            raise StartFailed(f"{proc.name} exited with {proc.process.returncode}:\n{proc.log_tail()}")
        if port_open(HOST, proc.port, timeout=0.2):
            return
        time.sleep(0.05)
    proc.stop()
    raise StartFailed(f"{proc.name} did not listen on {proc.port}:\n{proc.log_tail()}")


def _ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=2).status_code == 200
    except httpx.HTTPError:
        return False


def rss_mib(pid: int) -> float:
    """Resident set size of one process (VmRSS), in MiB; 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


@dataclass
class RssSampler:
    """Samples the RSS of some processes in a thread and keeps each one's peak."""

    procs: list[Proc]
    interval_s: float = 0.2
    peaks: dict[str, float] = field(default_factory=dict)
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def __enter__(self) -> RssSampler:
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            for proc in self.procs:
                self.peaks[proc.name] = max(self.peaks.get(proc.name, 0.0), proc.rss_mib())
            self._stop.wait(self.interval_s)


__all__ = ["HOST", "Proc", "RssSampler", "StartFailed", "free_port", "python_module", "start", "wait_http",
           "wait_port"]
