"""The HTTP change feed: own aimag only, cursor pages, explicit withdrawals, replay and a pinned snapshot."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "http_feed_client.py"
FEED = "/api/feeds/v1/aimags"


def fill(platform: Any, samples: Any, count: int, aimag: str = "65", start: int = 0) -> None:
    for n in range(start, start + count):
        platform.emit("education.enrolments.v1", f"lrn-{n}", samples.enrolled(f"lrn-{n}", "K1", aimag), aimag)
    platform.run()


def test_an_aimag_service_account_reads_its_own_feed_only(platform: Any, samples: Any, client: Any,
                                                          tokens: Any) -> None:
    fill(platform, samples, 2)
    fill(platform, samples, 1, aimag="83", start=10)
    own = tokens.headers("service", "65")
    response = client.get(f"{FEED}/65/changes", headers=own)
    assert response.status_code == 200
    assert sorted(e["subject"] for e in response.json()["events"]) == ["lrn-0", "lrn-1"]  # order is per entity
    refused = client.get(f"{FEED}/83/changes", headers=own)
    assert refused.status_code == 403 and refused.json()["error"]["code"] == "forbidden"
    assert client.get(f"{FEED}/83/changes", headers=tokens.headers("ministry")).status_code == 200
    assert client.get(f"{FEED}/83/changes", headers=tokens.headers("teacher", "83")).status_code == 403
    assert client.get(f"{FEED}/65/changes").status_code == 401
    assert client.get(f"{FEED}/00/changes", headers=tokens.headers("ministry")).status_code == 404


def test_pages_follow_the_cursor_and_a_withdrawal_is_explicit(platform: Any, samples: Any, client: Any,
                                                             tokens: Any) -> None:
    fill(platform, samples, 3)
    platform.emit("education.enrolments.v1", "lrn-1", samples.withdrawn("lrn-1", "K1", "65"), "65")
    platform.run()
    headers = tokens.headers("service", "65")
    first = client.get(f"{FEED}/65/changes?since=0&limit=2", headers=headers).json()
    assert [e["version"] for e in first["events"]] == [1, 2] and first["has_more"]
    rest = client.get(f"{FEED}/65/changes?since={first['next_since']}&limit=2", headers=headers).json()
    assert [(e["version"], e["kind"]) for e in rest["events"]] == [(3, "change"), (4, "withdrawal")]
    assert rest["events"][1]["data"]["reason"] == "WITHDRAWAL_REASON_FAMILY"
    assert not rest["has_more"]


def test_a_snapshot_keeps_a_long_read_consistent(platform: Any, samples: Any, client: Any, tokens: Any) -> None:
    fill(platform, samples, 3)
    headers = tokens.headers("service", "65")
    first = client.get(f"{FEED}/65/changes?since=0&limit=2", headers=headers).json()
    fill(platform, samples, 2, start=100)  # new changes arrive during the read
    pinned = client.get(f"{FEED}/65/changes", headers=headers,
                        params={"since": first["next_since"], "limit": 2, "snapshot": first["snapshot"]}).json()
    assert [e["version"] for e in pinned["events"]] == [3] and not pinned["has_more"]
    later = client.get(f"{FEED}/65/changes?since={pinned['next_since']}", headers=headers).json()
    assert sorted(e["subject"] for e in later["events"]) == ["lrn-100", "lrn-101"]


def test_replay_from_the_beginning_gives_the_same_changes(platform: Any, samples: Any, client: Any,
                                                         tokens: Any) -> None:
    fill(platform, samples, 4)
    headers = tokens.headers("service", "65")
    once = client.get(f"{FEED}/65/changes?since=0", headers=headers).json()["events"]
    twice = client.get(f"{FEED}/65/changes?since=0", headers=headers).json()["events"]
    assert once == twice and [e["version"] for e in once] == [1, 2, 3, 4]


def test_the_documented_example_client_reads_the_whole_feed(platform: Any, samples: Any, client: Any,
                                                           tokens: Any) -> None:
    spec = importlib.util.spec_from_file_location("http_feed_client", EXAMPLE)
    example = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(example)  # type: ignore[union-attr]
    fill(platform, samples, 7)
    client.headers.update(tokens.headers("service", "65"))
    applied: list[dict[str, Any]] = []
    last = example.follow(client, f"{FEED}/65", applied.append, rounds=1, pause_s=0)
    assert last == 7 and [c["version"] for c in applied] == list(range(1, 8))
    assert sorted(c["subject"] for c in applied) == sorted(f"lrn-{n}" for n in range(7))
