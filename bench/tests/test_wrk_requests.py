"""Scenario 4's wrk script sends each prepared request exactly once, whatever the number of connections."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench import procs
from bench.scenarios.attendance_day import _send

LINES = ["GET\t/healthz\t\t",
         'POST\t/attendance\t\t{"form_id":"f1","day":"2026-10-02","marks":[{"learner_id":"x","code":"present"}]}',
         'POST\t/attendance\tsome-token\t{"form_id":"f2"}',
         "GET\t/nowhere\t\t"]


@pytest.fixture(scope="module")
def bare() -> Iterator[procs.Proc]:
    port = procs.free_port()
    proc = procs.python_module("bare-test", "bench.bare_app", "--port", str(port), port=port)
    try:
        procs.wait_http(proc, "/healthz")
        yield proc
    finally:
        proc.stop()


@pytest.mark.integration
@pytest.mark.parametrize("connections", [1, 3, 16])
def test_every_request_is_sent_once_and_every_status_is_counted(bare: procs.Proc, tmp_path: Path,
                                                                connections: int) -> None:
    requests = tmp_path / "requests.tsv"
    requests.write_text("\n".join(LINES) + "\n", encoding="utf-8")
    run = _send(bare.url, requests, connections)
    assert run.statuses == Counter({"200": 1, "201": 1, "422": 1, "404": 1})
    assert run.report["requests"] == 4 and run.ok == 2
    assert sorted(sample[:4] for sample in run.samples) == ["404 ", "422 "]  # error answers are kept to explain
    assert run.seconds < 10, "the run ends when the last answer arrives, not after wrk's duration"
