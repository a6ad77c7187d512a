"""Create and drop throwaway PostgreSQL databases and RabbitMQ vhosts for one test."""

from __future__ import annotations

import base64
import json
import os
import shutil
import subprocess
import urllib.error
import urllib.request
import uuid
from urllib.parse import quote, urlsplit, urlunsplit

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from esis_shared.testing.processes import ServerUnavailable, port_open

PG_CANDIDATES = ("postgresql+psycopg://postgres@127.0.0.1:5432/postgres",
                 "postgresql+psycopg://root@127.0.0.1:5432/postgres")
AMQP_DEFAULT = "amqp://guest:guest@127.0.0.1:5672/"


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:12]}"


def _admin_engine(url: str) -> Engine:
    return create_engine(url, isolation_level="AUTOCOMMIT", poolclass=NullPool)


def _can_create_databases(url: str) -> bool:
    try:
        with _admin_engine(url).connect() as conn:
            row = conn.execute(text("SELECT rolcreatedb OR rolsuper FROM pg_roles WHERE rolname = current_user"))
            return bool(row.scalar())
    except Exception:
        return False


def postgres_admin_url() -> str:
    """``ESIS_TEST_PG_URL`` if set, else the first local trust-auth role (postgres, root) that may create DBs."""
    configured = os.environ.get("ESIS_TEST_PG_URL")
    candidates = (configured,) if configured else PG_CANDIDATES
    for url in candidates:
        if _can_create_databases(url):
            return url
    raise ServerUnavailable(f"no PostgreSQL role that may create databases at {', '.join(candidates)}; "
                            "start PostgreSQL or set ESIS_TEST_PG_URL")


def create_database(admin_url: str, name: str) -> str:
    with _admin_engine(admin_url).connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def drop_database(admin_url: str, name: str) -> None:
    # FORCE ends connections a test leaked (a pool not disposed) instead of failing the teardown.
    with _admin_engine(admin_url).connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


class RabbitAdmin:
    """Manages vhosts through the management HTTP API when it answers, else through local ``rabbitmqctl``."""

    def __init__(self, amqp_url: str | None = None, api_url: str | None = None) -> None:
        self.amqp_url = amqp_url or os.environ.get("ESIS_TEST_AMQP_URL", AMQP_DEFAULT)
        parts = urlsplit(self.amqp_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 5672
        self.user, self.password = parts.username or "guest", parts.password or "guest"
        self.api_url = api_url or os.environ.get("ESIS_TEST_RABBITMQ_API", f"http://{self.host}:15672")

    def check(self) -> None:
        if not port_open(self.host, self.port):
            raise ServerUnavailable(f"RabbitMQ is not listening on {self.host}:{self.port}; "
                                    "start rabbitmq-server or set ESIS_TEST_AMQP_URL")

    def vhost_url(self, vhost: str) -> str:
        parts = urlsplit(self.amqp_url)
        return urlunsplit((parts.scheme, parts.netloc, "/" + quote(vhost, safe=""), "", ""))

    def add_vhost(self, vhost: str) -> None:
        if self._api_available():
            self._api("PUT", f"/api/vhosts/{quote(vhost, safe='')}", {})
            self._api("PUT", f"/api/permissions/{quote(vhost, safe='')}/{quote(self.user, safe='')}",
                      {"configure": ".*", "write": ".*", "read": ".*"})
        else:
            self._ctl("add_vhost", vhost)
            self._ctl("set_permissions", "-p", vhost, self.user, ".*", ".*", ".*")

    def delete_vhost(self, vhost: str) -> None:
        if self._api_available():
            self._api("DELETE", f"/api/vhosts/{quote(vhost, safe='')}", None)
        else:
            self._ctl("delete_vhost", vhost)

    def _api_available(self) -> bool:
        api = urlsplit(self.api_url)
        return port_open(api.hostname or self.host, api.port or 15672, timeout=0.2)

    def _api(self, method: str, path: str, body: dict[str, str] | None) -> None:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(self.api_url + path, data=data, method=method)
        token = base64.b64encode(f"{self.user}:{self.password}".encode()).decode()
        request.add_header("Authorization", f"Basic {token}")
        request.add_header("Content-Type", "application/json")
        try:
            urllib.request.urlopen(request, timeout=10).close()
        except urllib.error.URLError as exc:
            raise ServerUnavailable(f"RabbitMQ management API {method} {path} failed: {exc}") from exc

    def _ctl(self, *args: str) -> None:
        ctl = shutil.which("rabbitmqctl") or "/usr/sbin/rabbitmqctl"
        if not os.path.exists(ctl):
            raise ServerUnavailable("neither the RabbitMQ management API nor rabbitmqctl is available "
                                    "to create a test vhost; enable rabbitmq_management")
        # Erlang's port mapper listens on loopback only on these machines (see INFRA.md).
        env = {**os.environ, "ERL_EPMD_ADDRESS": os.environ.get("ERL_EPMD_ADDRESS", "127.0.0.1")}
        done = subprocess.run([ctl, "-q", *args], env=env, capture_output=True, text=True, timeout=60)
        if done.returncode != 0:
            raise ServerUnavailable(f"rabbitmqctl {' '.join(args)} failed: {done.stderr.strip()}")
