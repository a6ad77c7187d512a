"""What scenarios need, started on first use and stopped at the end of the run: fresh PostgreSQL databases,
identity, the gateway, the bare endpoint and a Tansu broker, all on free loopback ports; for scenario 4 a second
set that follows events (identity consuming hr's events, teacher, a gateway routing both)."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

import httpx
from esis_shared.testing.admin import create_database, drop_database, postgres_admin_url, unique_name
from esis_shared.testing.processes import ServerProcess, start_tansu

from bench import procs
from bench.procs import Proc

IDENTITY = "identity"
GATEWAY = "gateway"
BARE = "bare-uvicorn"
EDUCATION = "education"  # scenario 2: loaded through its bulk paths (events staged in its outbox, not relayed)
HR = "hr"  # scenario 2: loaded through its bulk path
IDENTITY_EVENTS = "identity-events"  # identity with its Kafka consumer and relay (teachers' class scopes from hr)
TEACHER = "teacher"
GATEWAY_TEACHER = "gateway-teacher"
STATS = "stats"


@dataclass
class Stack:
    """Lazily started parts of the platform for one benchmark run (``close`` stops all of them)."""

    procs: dict[str, Proc] = field(default_factory=dict)
    databases: list[str] = field(default_factory=list)
    broker: ServerProcess | None = None
    admin_password: str = field(default_factory=lambda: f"Bench-{secrets.token_hex(8)}-2026")
    _admin_url: str | None = None
    _token: str | None = None
    memory: dict[str, Any] = field(default_factory=dict)  # RSS figures scenario 1 leaves for scenario 6
    database_urls: dict[str, str] = field(default_factory=dict)  # of started services, by process name

    def database(self, prefix: str) -> str:
        """A fresh, empty PostgreSQL database (127.0.0.1:5432, trust auth); dropped by ``close``."""
        if self._admin_url is None:
            self._admin_url = postgres_admin_url()
        name = unique_name(prefix)
        url = create_database(self._admin_url, name)
        self.databases.append(name)
        return url

    def kafka(self) -> str:
        if self.broker is None:
            self.broker = start_tansu()
        return f"{self.broker.host}:{self.broker.port}"

    def identity(self) -> Proc:
        if IDENTITY not in self.procs:
            port, grpc_port = procs.free_port(), procs.free_port()
            env = {"IDENTITY_DATABASE_URL": self.database("bench_identity"), "IDENTITY_HTTP_PORT": str(port),
                   "IDENTITY_HTTP_HOST": procs.HOST, "IDENTITY_GRPC_PORT": str(grpc_port),
                   "IDENTITY_KAFKA_ENABLED": "false", "IDENTITY_BOOTSTRAP_ADMIN_PASSWORD": self.admin_password,
                   "IDENTITY_ACCESS_TTL_S": "3600", "IDENTITY_LOG_LEVEL": "WARNING",
                   "IDENTITY_JWKS_URL": f"http://{procs.HOST}:{port}/api/identity/v1/jwks"}
            self._start(IDENTITY, "identity", env, port, "/readyz")
        return self.procs[IDENTITY]

    def gateway(self) -> Proc:
        if GATEWAY not in self.procs:
            identity, port = self.identity(), procs.free_port()
            # Rate limiting is switched off: the load generator is one client and would be held to 20 req/s.
            env = {"GATEWAY_HTTP_PORT": str(port), "GATEWAY_HTTP_HOST": procs.HOST,
                   "GATEWAY_SERVICE_URLS": json.dumps({IDENTITY: identity.url}),
                   "GATEWAY_JWKS_URL": f"{identity.url}/api/identity/v1/jwks",
                   "GATEWAY_RATE_LIMIT_PER_SECOND": "0", "GATEWAY_LOG_LEVEL": "WARNING",
                   "GATEWAY_KAFKA_ENABLED": "false"}
            self._start(GATEWAY, "gateway", env, port, "/readyz")
        return self.procs[GATEWAY]

    def identity_with_events(self) -> Proc:
        """An identity of its own that consumes hr's staff and assignment events from the run's broker."""
        if IDENTITY_EVENTS not in self.procs:
            port, grpc_port = procs.free_port(), procs.free_port()
            env = {"IDENTITY_DATABASE_URL": self.database("bench_identity_events"), "IDENTITY_HTTP_PORT": str(port),
                   "IDENTITY_HTTP_HOST": procs.HOST, "IDENTITY_GRPC_PORT": str(grpc_port),
                   "IDENTITY_KAFKA_ENABLED": "true", "IDENTITY_KAFKA_BOOTSTRAP": self.kafka(),
                   "IDENTITY_BOOTSTRAP_ADMIN_PASSWORD": self.admin_password, "IDENTITY_ACCESS_TTL_S": "7200",
                   "IDENTITY_LOG_LEVEL": "WARNING", "IDENTITY_JWKS_URL": f"http://{procs.HOST}:{port}/api/identity/v1/jwks"}
            self._start(IDENTITY_EVENTS, "identity", env, port, "/readyz")
        return self.procs[IDENTITY_EVENTS]

    def teacher(self, *, today: str = "") -> Proc:
        """teacher (HTTP + relay + roster consumer) on its own database, trusting ``identity_with_events``'s keys.

        ``today`` (YYYY-MM-DD) pins the calendar date the service works on (``ESIS_TODAY``, development only).
        """
        if TEACHER not in self.procs:
            identity, port = self.identity_with_events(), procs.free_port()
            self.database_urls[TEACHER] = self.database("bench_teacher")
            env = {"TEACHER_DATABASE_URL": self.database_urls[TEACHER], "TEACHER_HTTP_PORT": str(port),
                   "TEACHER_HTTP_HOST": procs.HOST, "TEACHER_GRPC_PORT": str(procs.free_port()),
                   "TEACHER_KAFKA_ENABLED": "true", "TEACHER_KAFKA_BOOTSTRAP": self.kafka(),
                   "TEACHER_EDUCATION_GRPC": "", "TEACHER_LOG_LEVEL": "WARNING",
                   "TEACHER_JWKS_URL": f"{identity.url}/api/identity/v1/jwks", "ESIS_TODAY": today}
            self._start(TEACHER, "teacher", env, port, "/readyz")
        return self.procs[TEACHER]

    def gateway_teacher(self) -> Proc:
        """A gateway routing identity (with events) and teacher; rate limiting off, as for ``gateway``."""
        if GATEWAY_TEACHER not in self.procs:
            identity, teacher, port = self.identity_with_events(), self.teacher(), procs.free_port()
            env = {"GATEWAY_HTTP_PORT": str(port), "GATEWAY_HTTP_HOST": procs.HOST,
                   "GATEWAY_SERVICE_URLS": json.dumps({IDENTITY: identity.url, TEACHER: teacher.url}),
                   "GATEWAY_JWKS_URL": f"{identity.url}/api/identity/v1/jwks",
                   "GATEWAY_RATE_LIMIT_PER_SECOND": "0", "GATEWAY_LOG_LEVEL": "WARNING",
                   "GATEWAY_KAFKA_ENABLED": "false"}
            self._start(GATEWAY_TEACHER, "gateway", env, port, "/readyz")
        return self.procs[GATEWAY_TEACHER]

    def stats(self, database_url: str) -> Proc:
        """stats (HTTP, projections consumer on the run's broker) on ``database_url`` (from ``database``); its
        public open-data reads need no token (``STATS_JWKS_URL`` points at identity only if it was started)."""
        if STATS not in self.procs:
            port = procs.free_port()
            jwks = f"{self.procs[IDENTITY].url}/api/identity/v1/jwks" if IDENTITY in self.procs else (
                f"http://{procs.HOST}:9/jwks")
            env = {"STATS_DATABASE_URL": database_url, "STATS_HTTP_PORT": str(port),
                   "STATS_HTTP_HOST": procs.HOST, "STATS_GRPC_PORT": str(procs.free_port()),
                   "STATS_KAFKA_ENABLED": "true", "STATS_KAFKA_BOOTSTRAP": self.kafka(),
                   "STATS_LOG_LEVEL": "WARNING", "STATS_JWKS_URL": jwks}
            self._start(STATS, "stats", env, port, "/readyz")
        return self.procs[STATS]

    def bare(self) -> Proc:
        if BARE not in self.procs:
            port = procs.free_port()
            proc = procs.python_module(BARE, "bench.bare_app", "--port", str(port), port=port)
            self.procs[BARE] = proc
            procs.wait_http(proc, "/healthz")
        return self.procs[BARE]

    def education(self) -> Proc:
        """education without its shipped hierarchy (the synthetic country brings its own). Its events are staged in
        its outbox but not relayed: the run's one broker also carries scenario 5's country, which stats reads."""
        if EDUCATION not in self.procs:
            identity, port = self.identity(), procs.free_port()
            env = {"EDUCATION_DATABASE_URL": self.database("bench_education"), "EDUCATION_HTTP_PORT": str(port),
                   "EDUCATION_HTTP_HOST": procs.HOST, "EDUCATION_GRPC_PORT": str(procs.free_port()),
                   "EDUCATION_KAFKA_ENABLED": "false",
                   "EDUCATION_LOAD_REFERENCE_DATA": "false", "EDUCATION_DEMO_SOUMS": "false",
                   "EDUCATION_LOG_LEVEL": "WARNING", "EDUCATION_JWKS_URL": f"{identity.url}/api/identity/v1/jwks"}
            self._start(EDUCATION, "education", env, port, "/readyz")
        return self.procs[EDUCATION]

    def hr(self) -> Proc:
        """hr for its bulk staff path (no broker, as education above)."""
        if HR not in self.procs:
            identity, port = self.identity(), procs.free_port()
            env = {"HR_DATABASE_URL": self.database("bench_hr"), "HR_HTTP_PORT": str(port),
                   "HR_HTTP_HOST": procs.HOST, "HR_GRPC_PORT": str(procs.free_port()),
                   "HR_KAFKA_ENABLED": "false",
                   "HR_LOG_LEVEL": "WARNING", "HR_JWKS_URL": f"{identity.url}/api/identity/v1/jwks"}
            self._start(HR, "hr", env, port, "/readyz")
        return self.procs[HR]

    def token(self) -> str:
        """An access token of identity's bootstrap administrator (a ministry account)."""
        if self._token is None:
            response = httpx.post(f"{self.identity().url}/api/identity/v1/auth/login", timeout=30,
                                  json={"username": "admin", "password": self.admin_password})
            response.raise_for_status()
            self._token = response.json()["access_token"]
        return self._token

    def _start(self, name: str, module: str, env: dict[str, str], port: int, ready: str) -> None:
        proc = procs.python_module(name, module, env=env, port=port)
        self.procs[name] = proc
        procs.wait_http(proc, ready)

    def close(self) -> None:
        for proc in reversed(list(self.procs.values())):
            proc.stop()
        self.procs.clear()
        if self.broker is not None:
            self.broker.stop()
            self.broker = None
        for name in self.databases:
            drop_database(self._admin_url or postgres_admin_url(), name)
        self.databases.clear()
