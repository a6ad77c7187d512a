"""What scenarios need, started on first use and stopped at the end of the run: fresh PostgreSQL databases,
identity, the gateway, the bare endpoint and a Tansu broker, all on free loopback ports; for scenario 4 a second
set that follows events (identity consuming hr's events, teacher, a gateway routing both)."""

from __future__ import annotations

import json
import secrets
from dataclasses import dataclass, field
from typing import Any

import httpx
from esis_shared.kafka import ensure_topics
from esis_shared.registry import TopicRegistry, default_proto_dir
from esis_shared.testing.admin import create_database, drop_database, postgres_admin_url, unique_name
from esis_shared.testing.processes import ServerProcess, start_tansu

from bench import procs
from bench.procs import Proc

IDENTITY = "identity"
GATEWAY = "gateway"
BARE = "bare-uvicorn"
EDUCATION = "education"  # scenario 2: loaded through its bulk paths, relaying to scenario 2's own broker
HR = "hr"  # scenario 2: loaded through its bulk path, relaying to scenario 2's own broker
IDENTITY_EVENTS = "identity-events"  # identity with its Kafka consumer and relay (teachers' class scopes from hr)
TEACHER = "teacher"
GATEWAY_TEACHER = "gateway-teacher"
STATS = "stats"
NATIONAL_STATS = "stats-national"  # scenario 2: stats projecting what education and hr relay to scenario 2's broker


@dataclass
class Stack:
    """Lazily started parts of the platform for one benchmark run (``close`` stops all of them)."""

    procs: dict[str, Proc] = field(default_factory=dict)
    databases: list[str] = field(default_factory=list)
    broker: ServerProcess | None = None
    national_broker: ServerProcess | None = None  # scenario 2's own (scenario 5 publishes its country on ``broker``)
    events_broker: ServerProcess | None = None  # scenario 4's own: rosters and scopes from its events only
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

    def national_kafka(self) -> str:
        """Scenario 2's broker, every registry topic created: education and hr relay the loaded country to it and
        ``national_stats`` projects it. A broker of its own, so none of it mixes with scenario 5's country."""
        if self.national_broker is None:
            self.national_broker = start_tansu()
            bootstrap = f"{self.national_broker.host}:{self.national_broker.port}"
            ensure_topics(bootstrap, [(t.name, t.partitions) for t in TopicRegistry.load(
                default_proto_dir() / "topics").topics], with_dlq=True)
        return f"{self.national_broker.host}:{self.national_broker.port}"

    def events_kafka(self) -> str:
        """Scenario 4's broker: what identity-with-events and teacher consume is only what scenario 4 publishes
        (scenario 3 leaves LearnerEnrolled records on the run's broker, scenario 5 publishes its country there)."""
        if self.events_broker is None:
            self.events_broker = start_tansu()
        return f"{self.events_broker.host}:{self.events_broker.port}"

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
        """An identity of its own that consumes hr's staff and assignment events from scenario 4's broker."""
        if IDENTITY_EVENTS not in self.procs:
            port, grpc_port = procs.free_port(), procs.free_port()
            env = {"IDENTITY_DATABASE_URL": self.database("bench_identity_events"), "IDENTITY_HTTP_PORT": str(port),
                   "IDENTITY_HTTP_HOST": procs.HOST, "IDENTITY_GRPC_PORT": str(grpc_port),
                   "IDENTITY_KAFKA_ENABLED": "true", "IDENTITY_KAFKA_BOOTSTRAP": self.events_kafka(),
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
                   "TEACHER_KAFKA_ENABLED": "true", "TEACHER_KAFKA_BOOTSTRAP": self.events_kafka(),
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
            self._stats(STATS, database_url, self.kafka())
        return self.procs[STATS]

    def national_stats(self) -> Proc:
        """Scenario 2's stats: a database of its own, projecting from ``national_kafka`` (``database_urls`` has
        its database, for the wait until every relayed event is applied)."""
        if NATIONAL_STATS not in self.procs:
            self.database_urls[NATIONAL_STATS] = self.database("bench_stats_national")
            self._stats(NATIONAL_STATS, self.database_urls[NATIONAL_STATS], self.national_kafka())
        return self.procs[NATIONAL_STATS]

    def _stats(self, name: str, database_url: str, bootstrap: str) -> None:
        port = procs.free_port()
        jwks = f"{self.procs[IDENTITY].url}/api/identity/v1/jwks" if IDENTITY in self.procs else (
            f"http://{procs.HOST}:9/jwks")
        env = {"STATS_DATABASE_URL": database_url, "STATS_HTTP_PORT": str(port),
               "STATS_HTTP_HOST": procs.HOST, "STATS_GRPC_PORT": str(procs.free_port()),
               "STATS_KAFKA_ENABLED": "true", "STATS_KAFKA_BOOTSTRAP": bootstrap,
               "STATS_LOG_LEVEL": "WARNING", "STATS_JWKS_URL": jwks}
        self._start(name, "stats", env, port, "/readyz")

    def bare(self) -> Proc:
        if BARE not in self.procs:
            port = procs.free_port()
            proc = procs.python_module(BARE, "bench.bare_app", "--port", str(port), port=port)
            self.procs[BARE] = proc
            procs.wait_http(proc, "/healthz")
        return self.procs[BARE]

    def education(self) -> Proc:
        """education without its shipped hierarchy (the synthetic country brings its own), relaying its events to
        scenario 2's broker (``national_kafka``; the run's broker carries scenario 5's country)."""
        if EDUCATION not in self.procs:
            identity, port = self.identity(), procs.free_port()
            self.database_urls[EDUCATION] = self.database("bench_education")
            env = {"EDUCATION_DATABASE_URL": self.database_urls[EDUCATION], "EDUCATION_HTTP_PORT": str(port),
                   "EDUCATION_HTTP_HOST": procs.HOST, "EDUCATION_GRPC_PORT": str(procs.free_port()),
                   "EDUCATION_KAFKA_ENABLED": "true", "EDUCATION_KAFKA_BOOTSTRAP": self.national_kafka(),
                   "EDUCATION_LOAD_REFERENCE_DATA": "false", "EDUCATION_DEMO_SOUMS": "false",
                   "EDUCATION_LOG_LEVEL": "WARNING", "EDUCATION_JWKS_URL": f"{identity.url}/api/identity/v1/jwks"}
            self._start(EDUCATION, "education", env, port, "/readyz")
        return self.procs[EDUCATION]

    def hr(self) -> Proc:
        """hr for its bulk staff path, relaying to scenario 2's broker as education above."""
        if HR not in self.procs:
            identity, port = self.identity(), procs.free_port()
            self.database_urls[HR] = self.database("bench_hr")
            env = {"HR_DATABASE_URL": self.database_urls[HR], "HR_HTTP_PORT": str(port),
                   "HR_HTTP_HOST": procs.HOST, "HR_GRPC_PORT": str(procs.free_port()),
                   "HR_KAFKA_ENABLED": "true", "HR_KAFKA_BOOTSTRAP": self.national_kafka(),
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

    def stop(self, *names: str) -> None:
        """Stop some processes before the end of the run (a scenario's set, so it does not load later ones)."""
        for name in names:
            proc = self.procs.pop(name, None)
            if proc is not None:
                proc.stop()

    def close(self) -> None:
        for proc in reversed(list(self.procs.values())):
            proc.stop()
        self.procs.clear()
        for broker in (self.broker, self.national_broker, self.events_broker):
            if broker is not None:
                broker.stop()
        self.broker = self.national_broker = self.events_broker = None
        for name in self.databases:
            drop_database(self._admin_url or postgres_admin_url(), name)
        self.databases.clear()
