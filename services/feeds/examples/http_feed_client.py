"""Example integrator client of an aimag's HTTP change feed (Python 3.11, httpx).

    FEED_URL=https://esis.example.mn/api/feeds/v1/aimags/65 FEED_TOKEN=... python http_feed_client.py

It replays the feed from the beginning under one snapshot, then follows new changes; ``apply`` is where your
system stores a change (upsert) or a withdrawal (delete/close). Keep ``since`` durable: after a restart, carry
on from the last version you applied. Events may repeat after a failure of yours: dedupe on ``id``.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx

Change = dict[str, Any]


def read_all(client: httpx.Client, feed: str, since: int = 0, limit: int = 500) -> Iterator[Change]:
    """Every change after ``since`` up to the head at the first request (one consistent snapshot)."""
    snapshot = None
    while True:
        params = {"since": since, "limit": limit, **({"snapshot": snapshot} if snapshot is not None else {})}
        response = client.get(f"{feed}/changes", params=params)
        response.raise_for_status()
        page = response.json()
        snapshot = page["snapshot"]
        yield from page["events"]
        since = page["next_since"]
        if not page["has_more"]:
            return


def follow(client: httpx.Client, feed: str, apply: Callable[[Change], None], since: int = 0,
           rounds: int | None = None, pause_s: float = 5.0) -> int:
    """Apply changes as they come; returns the last version applied (``rounds`` None: for ever)."""
    done = 0
    while rounds is None or done < rounds:
        for change in read_all(client, feed, since):
            apply(change)
            since = change["version"]
        done += 1
        if rounds is None or done < rounds:
            time.sleep(pause_s)
    return since


def _print(change: Change) -> None:
    action = "DELETE/CLOSE" if change["kind"] == "withdrawal" else "UPSERT"
    print(change["version"], action, change["type"], change["subject"], change["data"])


if __name__ == "__main__":
    headers = {"Authorization": f"Bearer {os.environ['FEED_TOKEN']}"}
    with httpx.Client(headers=headers, timeout=30) as http:
        follow(http, os.environ["FEED_URL"], _print)
