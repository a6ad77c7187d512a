"""Event ids of bulk staging: random version-4 UUIDs in canonical form, all different."""

from __future__ import annotations

import uuid

from esis_shared.outbox import random_uuids


def test_bulk_event_ids_are_distinct_canonical_version_4_uuids():
    ids = random_uuids(5000)
    assert len(set(ids)) == 5000
    parsed = [uuid.UUID(i) for i in ids]
    assert [str(p) for p in parsed] == ids
    assert {p.version for p in parsed} == {4} and {p.variant for p in parsed} == {uuid.RFC_4122}
    assert random_uuids(0) == [] and len(random_uuids(1)) == 1
