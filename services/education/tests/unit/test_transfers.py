from datetime import date, timedelta

import pytest
from education.adapters.memory import MemoryUnitOfWork
from education.domain.access import Role
from education.domain.errors import ConcurrentChange, Conflict, Forbidden, Invalid
from education.domain.events import TransferApproved, TransferEscalated, TransferRejected, TransferRequested
from education.domain.learners import EndReason, LearnerStatus, WithdrawalReason
from education.domain.transfer import TransferState
from education.service_layer import commands, views
from education.service_layer.handlers import transfers
from education.service_layer.handlers.common import Context


@pytest.fixture
def setup(world):
    sender_class = world.open_class(world.school_a, level="5")
    receiver_class = world.open_class(world.school_b, level="5")
    learner_id = world.enrolled(world.school_a, sender_class, birth=date(2013, 5, 2))
    return world, learner_id, sender_class, receiver_class


def _request(world, learner_id, actor=None):
    return world.do(commands.RequestTransfer(world.school_b, learner_id=learner_id, reason="Гэр бүл нүүсэн"),
                    actor or world.admin(world.school_a))


def _transfer(world, transfer_id):
    return world.store.tables["transfers"][transfer_id]


def test_transfer_needs_receiving_school_approval(setup):
    world, learner_id, sender_class, _ = setup
    transfer_id = _request(world, learner_id)
    assert _transfer(world, transfer_id).state is TransferState.AWAITING_APPROVAL
    assert world.learner(learner_id).open_enrolment.class_id == sender_class
    with pytest.raises(Forbidden):
        world.do(commands.ApproveTransfer(transfer_id, sender_class), world.admin(world.school_a))


def test_approval_enrols_at_receiver_and_marks_transferred_at_sender(setup):
    world, learner_id, sender_class, receiver_class = setup
    transfer_id = _request(world, learner_id)
    world.do(commands.ApproveTransfer(transfer_id, receiver_class, date(2024, 10, 7)), world.admin(world.school_b))
    moved = world.learner(learner_id)
    old, new = moved.enrolments
    assert (old.class_id, old.ends_on, old.end_reason) == (sender_class, date(2024, 10, 7), EndReason.TRANSFERRED)
    assert (new.class_id, new.starts_on, new.ends_on) == (receiver_class, date(2024, 10, 7), None)
    for day in (date(2024, 10, 6), date(2024, 10, 7)):
        assert moved.enrolment_on(day) is not None  # never in none
    assert sum(e.active_on(date(2024, 10, 7)) for e in moved.enrolments) == 1  # never twice
    assert world.events(TransferApproved)[0].to_class_id == receiver_class


def test_learner_history_stays_attached_after_transfer(setup):
    world, learner_id, sender_class, receiver_class = setup
    world.do(commands.ApproveTransfer(_request(world, learner_id), receiver_class), world.admin(world.school_b))
    assert [e.class_id for e in world.learner(learner_id).enrolments] == [sender_class, receiver_class]


def test_receiver_requests_with_register_number_then_sender_releases(setup):
    world, learner_id, _, receiver_class = setup
    number = world.learner(learner_id).register_number
    transfer_id = world.do(commands.RequestTransfer(world.school_b, register_number=number.lower()),
                           world.admin(world.school_b))
    assert _transfer(world, transfer_id).state is TransferState.AWAITING_RELEASE
    with pytest.raises(Forbidden):
        world.do(commands.ApproveTransfer(transfer_id, receiver_class), world.admin(world.school_b))
    world.do(commands.ReleaseTransfer(transfer_id), world.admin(world.school_a))
    world.do(commands.ApproveTransfer(transfer_id, receiver_class), world.admin(world.school_b))
    assert world.learner(learner_id).open_enrolment.school_id == world.school_b
    assert world.events(TransferRequested)[0].initiated_by == "receiver"


def test_sender_can_refuse_to_release_with_a_reason(setup):
    world, learner_id, sender_class, _ = setup
    number = world.learner(learner_id).register_number
    transfer_id = world.do(commands.RequestTransfer(world.school_b, register_number=number),
                           world.admin(world.school_b))
    world.do(commands.RejectTransfer(transfer_id, "Сургалтын төлбөрийн асуудал"), world.admin(world.school_a))
    assert world.events(TransferRejected)[0].by == "sender"
    assert world.learner(learner_id).open_enrolment.class_id == sender_class


def test_rejection_keeps_learner_at_sender(setup):
    world, learner_id, sender_class, _ = setup
    transfer_id = _request(world, learner_id)
    world.do(commands.RejectTransfer(transfer_id, "Сул орон тоо байхгүй"), world.admin(world.school_b))
    assert _transfer(world, transfer_id).state is TransferState.REJECTED
    assert world.learner(learner_id).open_enrolment.class_id == sender_class
    assert world.learner(learner_id).status is LearnerStatus.ENROLLED


def test_second_pending_transfer_for_same_learner_is_refused(setup):
    world, learner_id, _, _ = setup
    _request(world, learner_id)
    with pytest.raises(Conflict) as info:
        world.do(commands.RequestTransfer(world.school_ub, learner_id=learner_id), world.admin(world.school_a))
    assert info.value.code == "transfer_already_pending"


def test_transfer_within_the_same_school_is_refused(setup):
    world, learner_id, _, _ = setup
    with pytest.raises(Invalid) as info:
        world.do(commands.RequestTransfer(world.school_a, learner_id=learner_id), world.admin(world.school_a))
    assert info.value.code == "transfer_same_school"


def test_approval_into_a_class_of_a_third_school_is_refused(setup):
    world, learner_id, _, _ = setup
    ub_class = world.open_class(world.school_ub, level="5")
    with pytest.raises(Invalid):
        world.do(commands.ApproveTransfer(_request(world, learner_id), ub_class), world.admin(world.school_b))


def test_learner_withdrawn_while_pending_cannot_be_transferred(setup):
    world, learner_id, _, receiver_class = setup
    transfer_id = _request(world, learner_id)
    world.do(commands.WithdrawLearner(learner_id, WithdrawalReason.HEALTH), world.admin(world.school_a))
    with pytest.raises(Forbidden):  # the learner is no longer the sender's; the receiver may still try
        world.do(commands.CancelTransfer(transfer_id), world.admin(world.school_b))
    with pytest.raises(Conflict) as info:
        world.do(commands.ApproveTransfer(transfer_id, receiver_class), world.admin(world.school_b))
    assert info.value.code == "learner_not_enrolled"


class RacingUnitOfWork(MemoryUnitOfWork):
    """Lets another transaction commit after this one has read, just before this one commits."""

    def __init__(self, store, other):
        super().__init__(store)
        self.other = other

    def _commit(self, changed, events):
        other, self.other = self.other, None
        if other:
            other()
        super()._commit(changed, events)


def _race(world, transfer_id, first, second):
    """``second`` reads, then ``first`` runs to completion, then ``second`` tries to commit."""
    admin_b = world.admin(world.school_b)
    loser = Context(RacingUnitOfWork(world.store, lambda: world.do(first, admin_b)), admin_b, world.clock)
    handler = world.bus.handlers[type(second)]
    with pytest.raises(ConcurrentChange):
        handler(second, loser)


def test_concurrent_approve_and_reject_reject_first_wins(setup):
    world, learner_id, sender_class, receiver_class = setup
    transfer_id = _request(world, learner_id)
    _race(world, transfer_id, commands.RejectTransfer(transfer_id, "Дүүрсэн"),
          commands.ApproveTransfer(transfer_id, receiver_class))
    assert _transfer(world, transfer_id).state is TransferState.REJECTED
    assert world.learner(learner_id).open_enrolment.class_id == sender_class
    assert (len(world.events(TransferApproved)), len(world.events(TransferRejected))) == (0, 1)


def test_concurrent_approve_and_reject_approve_first_wins(setup):
    world, learner_id, _, receiver_class = setup
    transfer_id = _request(world, learner_id)
    _race(world, transfer_id, commands.ApproveTransfer(transfer_id, receiver_class),
          commands.RejectTransfer(transfer_id, "Дүүрсэн"))
    assert _transfer(world, transfer_id).state is TransferState.APPROVED
    assert len(world.learner(learner_id).enrolments) == 2
    assert (len(world.events(TransferApproved)), len(world.events(TransferRejected))) == (1, 0)


def test_two_concurrent_approvals_enrol_the_learner_once(setup):
    world, learner_id, _, receiver_class = setup
    other_class = world.open_class(world.school_b, level="5", letter="Б")
    transfer_id = _request(world, learner_id)
    _race(world, transfer_id, commands.ApproveTransfer(transfer_id, receiver_class),
          commands.ApproveTransfer(transfer_id, other_class))
    assert [e.class_id for e in world.learner(learner_id).enrolments][1:] == [receiver_class]


def test_crash_during_approval_leaves_learner_at_sender_and_transfer_pending(setup):
    world, learner_id, sender_class, receiver_class = setup
    transfer_id = _request(world, learner_id)
    uow = MemoryUnitOfWork(world.store)
    uow.fail_on_commit = True
    with pytest.raises(RuntimeError):
        transfers.approve_transfer(commands.ApproveTransfer(transfer_id, receiver_class),
                                   Context(uow, world.admin(world.school_b), world.clock))
    assert _transfer(world, transfer_id).state is TransferState.AWAITING_APPROVAL
    assert world.learner(learner_id).open_enrolment.class_id == sender_class
    assert world.events(TransferApproved) == []
    world.do(commands.ApproveTransfer(transfer_id, receiver_class), world.admin(world.school_b))
    assert world.learner(learner_id).open_enrolment.class_id == receiver_class


def test_stale_transfer_escalates_to_the_acting_schools_aimag_department(setup):
    world, learner_id, _, receiver_class = setup
    transfer_id = _request(world, learner_id)
    escalate = commands.EscalateStaleTransfers(after=timedelta(days=7))
    world.clock.advance(timedelta(days=6))
    assert world.do(escalate, world.service_actor) == []
    world.clock.advance(timedelta(days=1))
    assert world.do(escalate, world.service_actor) == [transfer_id]
    assert world.do(escalate, world.service_actor) == []  # escalated once
    assert _transfer(world, transfer_id).escalated_to_id == world.arkhangai
    assert world.events(TransferEscalated)[0].escalated_to_id == world.arkhangai


def test_aimag_officer_acts_on_escalated_transfers_only(setup):
    world, learner_id, _, receiver_class = setup
    transfer_id = _request(world, learner_id)
    officer = world.officer(world.arkhangai)
    with pytest.raises(Forbidden):
        world.do(commands.ApproveTransfer(transfer_id, receiver_class), officer)
    world.clock.advance(timedelta(days=10))
    world.do(commands.EscalateStaleTransfers(after=timedelta(days=7)), world.service_actor)
    assert [t.id for t in views.escalated_transfers(world.ctx(officer))] == [transfer_id]
    with pytest.raises(Forbidden):
        world.do(commands.ApproveTransfer(transfer_id, receiver_class), world.officer(world.ub))
    world.do(commands.ApproveTransfer(transfer_id, receiver_class), officer)
    assert world.learner(learner_id).open_enrolment.school_id == world.school_b


def test_district_officer_of_ub_acts_on_escalated_transfer_to_a_school_in_the_district(world):
    ub_a = world.open_class(world.school_a, level="5")
    ub_class = world.open_class(world.school_ub, level="5")
    learner_id = world.enrolled(world.school_a, ub_a, birth=date(2013, 5, 2))
    transfer_id = world.do(commands.RequestTransfer(world.school_ub, learner_id=learner_id),
                           world.admin(world.school_a))
    world.clock.advance(timedelta(days=30))
    world.do(commands.EscalateStaleTransfers(after=timedelta(days=7)), world.service_actor)
    assert _transfer(world, transfer_id).escalated_to_id == world.ub
    world.do(commands.ApproveTransfer(transfer_id, ub_class), world.officer(world.bayanzurkh, Role.DISTRICT_OFFICER))
    assert world.learner(learner_id).open_enrolment.class_id == ub_class


def test_transfer_inbox_shows_incoming_and_outgoing(setup):
    world, learner_id, _, _ = setup
    transfer_id = _request(world, learner_id)
    incoming = views.transfer_inbox(world.ctx(world.admin(world.school_b)), world.school_b)
    outgoing = views.transfer_inbox(world.ctx(world.admin(world.school_a)), world.school_a)
    assert [t.id for t in incoming["incoming"]] == [transfer_id] and incoming["outgoing"] == []
    assert [t.id for t in outgoing["outgoing"]] == [transfer_id]


def test_initiator_cancels_a_pending_transfer(setup):
    world, learner_id, _, receiver_class = setup
    transfer_id = _request(world, learner_id)
    world.do(commands.CancelTransfer(transfer_id), world.admin(world.school_a))
    with pytest.raises(Conflict) as info:
        world.do(commands.ApproveTransfer(transfer_id, receiver_class), world.admin(world.school_b))
    assert info.value.code == "transfer_closed" and "cancelled" in info.value.message_en


def test_learner_record_keeps_every_transfer_across_schools(setup):
    world, learner_id, _, receiver_class = setup
    first = _request(world, learner_id)
    world.do(commands.ApproveTransfer(first, receiver_class), world.admin(world.school_b))
    ub_class = world.open_class(world.school_ub, level="5")
    second = world.do(commands.RequestTransfer(world.school_ub, learner_id=learner_id), world.admin(world.school_b))
    world.do(commands.ApproveTransfer(second, ub_class), world.admin(world.school_ub))
    record = views.learner_record(world.ctx(world.admin(world.school_ub)), learner_id, purpose="Хувийн хэрэг")
    assert [t.id for t in record.transfers] == [first, second]
    assert [e.school_id for e in record.learner.enrolments] == [world.school_a, world.school_b, world.school_ub]
