"""Per-aimag feeds: which events go where, what counts as a withdrawal, who may read, how pages are cut.

Routing follows the ``aimag`` CloudEvents header (NSO code of an aimag, the capital or an Ulaanbaatar district):
an event goes to ``feeds.aimag.<code>.v1`` unchanged — same protobuf bytes, same headers, same key, so one
entity's events stay in order. The codes and the topic names come from the topic registry's family
``proto/topics/feeds.aimag.v1.yaml`` (its ``instances``), the one list topic creation also reads.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from esis_shared.registry import TopicFamily, TopicRegistry, default_proto_dir

FAMILY = "feeds.aimag.v1"
# Events that end or undo something: integrators delete or close the entity they name.
WITHDRAWALS = frozenset({
    "esis.education.v1.LearnerWithdrawn", "esis.education.v1.OrgUnitClosed", "esis.education.v1.GuardianLinkRevoked",
    "esis.education.v1.TransferCancelled", "esis.education.v1.TransferRejected", "esis.hr.v1.StaffExited",
    "esis.hr.v1.TeachingUnassigned", "esis.hr.v1.VacancyCancelled", "esis.identity.v1.AccountDisabled",
})
READ_ALL_ROLES = frozenset({"ministry"})
FEED_ROLES = frozenset({"service", "aimag_officer", "district_officer"})


@cache
def family() -> TopicFamily:
    """The registry's declaration of the per-aimag topics (read once per process)."""
    return TopicRegistry.load(default_proto_dir() / "topics").family(FAMILY)


def codes() -> frozenset[str]:
    """Every area with a feed: the family's instance values (NSO codes of the capital, the aimags and
    Ulaanbaatar's districts)."""
    return frozenset(family().values)


def topic_for(code: str) -> str:
    return family().name_for(code)


def route(aimag_header: str | None) -> str | None:
    """The feed an event belongs to, or None when it concerns no known aimag."""
    code = (aimag_header or "").strip()
    return code if code in codes() else None


def kind_of(event_type: str) -> str:
    return "withdrawal" if event_type in WITHDRAWALS else "change"


def may_read(role: str, org_ids: frozenset[str], code: str) -> bool:
    """The ministry reads every feed; an aimag's service account (or officer) only the one its scope names."""
    return role in READ_ALL_ROLES or (role in FEED_ROLES and code in org_ids)


@dataclass(frozen=True)
class PageRequest:
    """``since``: the last version the client has; ``snapshot``: the head pinned by the first page."""

    since: int
    limit: int
    snapshot: int | None = None

    def bounded(self, head: int) -> tuple[int, int]:
        """(first version excluded, last version included) of this page's window."""
        until = head if self.snapshot is None else min(self.snapshot, head)
        return self.since, until
