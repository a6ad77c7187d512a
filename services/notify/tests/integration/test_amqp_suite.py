"""Runs the nameko suite (services/notify/tests/amqp) in its own eventlet-patched process, against the same
RabbitMQ, so ``make test`` covers it without patching the main test process."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[4]
SUITE = "services/notify/tests/amqp"


def test_the_nameko_suite_passes_on_real_rabbitmq(rabbitmq_admin) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_")}
    done = subprocess.run([sys.executable, "-m", "nameko", "test", SUITE, "-q", "-p", "no:cacheprovider",
                           "-W", "ignore::DeprecationWarning"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=280)
    report = done.stdout[-4000:] + done.stderr[-2000:]
    assert done.returncode == 0, report
    assert " passed" in done.stdout and "skipped" not in done.stdout and "deselected" not in done.stdout, report
