#!/usr/bin/env bash
# Make sure the servers the integration tests talk to are running: PostgreSQL and RabbitMQ (with the
# management plugin nameko's test tools need). Uses what is running; starts what is installed; installs what
# is missing when allowed (CI / root). Idempotent.
set -euo pipefail

can_install() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; }
apt_install() {
  can_install || { echo "✗ missing: $*  — install with: sudo apt-get install -y $*" >&2; exit 1; }
  if [ -z "${ESIS_APT_UPDATED:-}" ]; then apt-get update -qq; export ESIS_APT_UPDATED=1; fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
wait_port() { for _ in $(seq 1 "${2:-60}"); do port_open "$1" && return 0; sleep 1; done; return 1; }

ensure_postgres() {
  port_open 5432 && return 0
  command -v pg_ctlcluster >/dev/null || apt_install postgresql
  local version; version=$(ls /etc/postgresql | sort -V | tail -n1)
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || pg_ctlcluster "$version" main start
  wait_port 5432 || { echo "✗ PostgreSQL did not start" >&2; exit 1; }
}

ensure_pg_trust_role() {
  # Tests connect as a superuser role without a password over loopback (trust); on a fresh install make one.
  if ! psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
    if can_install; then
      local hba; hba=$(su postgres -c "psql -Atqc 'show hba_file'")
      grep -q '^host all all 127.0.0.1/32 trust' "$hba" || sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
      su postgres -c "psql -qc 'select pg_reload_conf()'" >/dev/null
    fi
  fi
}

ensure_rabbitmq() {
  export ERL_EPMD_ADDRESS=127.0.0.1
  if ! port_open 5672; then
    command -v rabbitmq-server >/dev/null || apt_install rabbitmq-server
    rabbitmq-server -detached >/dev/null 2>&1 || true
    wait_port 5672 90 || { echo "✗ RabbitMQ did not start" >&2; exit 1; }
  fi
  if ! port_open 15672 && command -v rabbitmq-plugins >/dev/null; then
    rabbitmq-plugins -q enable rabbitmq_management >/dev/null 2>&1 || true
    wait_port 15672 60 || echo "! RabbitMQ management API (15672) not up; nameko's rabbit_config fixture needs it" >&2
  fi
}

ensure_chromium() {
  [ -x /usr/bin/chromium ] || apt_install chromium
}

ensure_compose() {
  command -v docker-compose >/dev/null || apt_install docker-compose
}

ensure_wrk() {
  command -v wrk >/dev/null || apt_install wrk
}

ensure_fonts() {
  # A TTF with Cyrillic for PDF reports (stats) and for page screenshots.
  [ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || apt_install fonts-dejavu-core
}

ensure_node() {
  command -v npm >/dev/null || apt_install nodejs npm
}

for what in "${@:-postgres rabbitmq chromium node}"; do
  for w in $what; do
    case "$w" in
      postgres) ensure_postgres; ensure_pg_trust_role ;;
      rabbitmq) ensure_rabbitmq ;;
      chromium) ensure_chromium ;;
      node) ensure_node ;;
      compose) ensure_compose ;;
      wrk) ensure_wrk ;;
      fonts) ensure_fonts ;;
      *) echo "unknown: $w" >&2; exit 2 ;;
    esac
  done
done
