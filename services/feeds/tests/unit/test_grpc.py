"""gRPC FeedsService: the head of an aimag's feed (the snapshot id of a consistent read)."""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from esis.feeds.v1 import feeds_service_pb2 as pb
from feeds.entrypoints.grpc_server import FeedsServicer


class Aborted(Exception):
    pass


class Context:
    def abort(self, code: grpc.StatusCode, details: str) -> None:
        raise Aborted(code, details)


def test_head_counts_the_events_of_the_aimag(platform: Any, samples: Any, container: Any) -> None:
    for n in range(3):
        platform.emit("education.enrolments.v1", f"lrn-{n}", samples.enrolled(f"lrn-{n}", "K1", "65"), "65")
    platform.run()
    head = FeedsServicer(container).GetFeedHead(pb.GetFeedHeadRequest(aimag_code="65"), Context())
    assert (head.version, head.topic) == (3, "feeds.aimag.65.v1")
    assert FeedsServicer(container).GetFeedHead(pb.GetFeedHeadRequest(aimag_code="83"), Context()).version == 0


def test_an_unknown_code_is_not_found(container: Any) -> None:
    with pytest.raises(Aborted) as aborted:
        FeedsServicer(container).GetFeedHead(pb.GetFeedHeadRequest(aimag_code="99"), Context())
    assert aborted.value.args[0] == grpc.StatusCode.NOT_FOUND
