"""Approval of census figures: bottom-up, locked once approved, corrections as documented revisions."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from stats.domain.approval import ApprovalBook, Change, Status
from stats.domain.errors import ApprovalError, BelowNotApproved, FigureLocked

# national -> aimag A65 -> soums S1 (schools K1, K2) and S2 (school K3)
TREE = {"national": ["A65"], "A65": ["S1", "S2"], "S1": ["K1", "K2"], "S2": ["K3"]}
PARENT = {child: parent for parent, children in TREE.items() for child in children}
AT = datetime(2024, 10, 15, tzinfo=UTC)


def book() -> ApprovalBook:
    book = ApprovalBook("2024-2025", lambda org: TREE.get(org, []), PARENT.get)
    book.submit("K1", {"enrolled_male": 100, "enrolled_female": 90}, "admin-k1", AT)
    book.submit("K2", {"enrolled_male": 50, "enrolled_female": 55}, "admin-k2", AT)
    book.submit("K3", {"enrolled_male": 20, "enrolled_female": 25}, "admin-k3", AT)
    return book


def approve_all(book: ApprovalBook) -> None:
    for org in ("K1", "K2", "K3", "S1", "S2", "A65", "national"):
        book.approve(org, f"officer-{org}", AT)


def test_a_soum_cannot_approve_before_all_its_schools() -> None:
    b = book()
    b.approve("K1", "admin-k1", AT)
    with pytest.raises(BelowNotApproved) as refused:
        b.approve("S1", "officer-s1", AT)
    assert refused.value.details["pending"] == ["K2"]


def test_higher_levels_approve_the_sum_of_the_levels_below() -> None:
    b = book()
    approve_all(b)
    assert b.reports["S1"].current.figures == {"enrolled_female": 145, "enrolled_male": 150}
    assert b.reports["national"].current.figures == {"enrolled_female": 170, "enrolled_male": 170}
    assert b.reports["national"].current.status is Status.APPROVED


def test_the_ministry_waits_for_every_aimag() -> None:
    b = book()
    for org in ("K1", "K2", "S1"):
        b.approve(org, "x", AT)
    with pytest.raises(BelowNotApproved):
        b.approve("A65", "aimag-officer", AT)  # S2 (and so K3) still pending


def test_approved_figures_are_locked() -> None:
    b = book()
    b.approve("K1", "admin-k1", AT)
    with pytest.raises(FigureLocked):
        b.submit("K1", {"enrolled_male": 101, "enrolled_female": 90}, "admin-k1", AT)
    with pytest.raises(FigureLocked):
        b.approve("K1", "admin-k1", AT)


def test_a_correction_is_a_documented_revision_and_reopens_every_level_above() -> None:
    b = book()
    approve_all(b)
    first = b.reports["national"].current
    revision = b.correct("K1", {"enrolled_male": 98, "enrolled_female": 90}, "two boys counted twice", "admin", AT)
    assert (revision.number, revision.status, revision.reason) == (2, Status.DRAFT, "two boys counted twice")
    assert revision.changes == (Change("enrolled_male", 100, 98),)
    for org in ("S1", "A65", "national"):
        current = b.reports[org].current
        assert (current.number, current.status) == (2, Status.DRAFT)
        assert "K1 revision 2: two boys counted twice" in current.reason
    assert b.reports["national"].current.figures["enrolled_male"] == 168
    # history stays: the first national revision is still approved with the old total
    assert (first.status, first.figures["enrolled_male"]) == (Status.APPROVED, 170)
    assert b.reports["S2"].approved  # a sibling branch is untouched
    with pytest.raises(BelowNotApproved):
        b.approve("S1", "officer", AT)  # K1's revision 2 must be approved first
    assert [e.kind for e in b.events[-4:]] == ["corrected", "reopened", "reopened", "reopened"]


def test_a_correction_needs_a_reason_and_approved_figures() -> None:
    b = book()
    with pytest.raises(ApprovalError):
        b.correct("K1", {"enrolled_male": 1}, "typo", "admin", AT)  # still a draft: just resubmit
    b.approve("K1", "admin", AT)
    with pytest.raises(ApprovalError) as refused:
        b.correct("K1", {"enrolled_male": 1}, "   ", "admin", AT)
    assert refused.value.details == {"field": "reason"}
