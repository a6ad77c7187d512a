from __future__ import annotations

from datetime import UTC, datetime, time

import pytest
from parent.domain.errors import Invalid
from parent.domain.notifications import TypeSetting
from parent.domain.receipts import Receipt
from parent.service_layer import views
from parent.service_layer.handlers.settings import (
    UpdatePreferences,
    UpdateProfile,
    record_receipt,
    update_preferences,
    update_profile,
)

from .conftest import MOTHER, STRANGER


def test_defaults_send_everything_at_once_except_marks_in_a_digest(deps) -> None:
    _, prefs, receipts = views.settings(MOTHER, deps)

    assert prefs.channels == ("push", "sms", "email")
    assert (prefs.quiet_start, prefs.quiet_end) == (time(22, 0), time(7, 0))
    assert prefs.setting("mark").digest and not prefs.setting("absence").digest
    assert receipts == []


@pytest.mark.parametrize("channels", [[], ["fax"], ["sms", "sms"]])
def test_bad_channel_lists_are_refused(deps, channels) -> None:
    with pytest.raises(Invalid) as refused:
        update_preferences(UpdatePreferences(channels, None, None), MOTHER, deps)

    assert refused.value.details["fields"][0]["field"] == "channels"


def test_quiet_hours_need_both_ends(deps) -> None:
    with pytest.raises(Invalid):
        update_preferences(UpdatePreferences(["sms"], time(22, 0), None), MOTHER, deps)


def test_preferences_are_saved_per_guardian(deps) -> None:
    update_preferences(UpdatePreferences(["email"], None, None, types={"grade": TypeSetting(True, True)}), MOTHER,
                       deps)

    mine, theirs = views.settings(MOTHER, deps)[1], views.settings(STRANGER, deps)[1]
    assert mine.channels == ("email",) and mine.quiet_start is None and mine.setting("grade").digest
    assert theirs.channels == ("push", "sms", "email")


@pytest.mark.parametrize(("field", "phone", "email"), [("phone", "12", ""), ("email", "", "not-an-address")])
def test_contact_details_are_checked(deps, field, phone, email) -> None:
    with pytest.raises(Invalid) as refused:
        update_profile(UpdateProfile("Оюун", phone, email), MOTHER, deps)

    assert refused.value.details["fields"][0]["field"] == field


def test_the_newest_receipt_of_a_notification_wins_and_only_its_guardian_sees_it(deps) -> None:
    sent = Receipt("absence:lrn-bat:2026-11-30:acc-mother", "acc-mother", "absence", "lrn-bat", "sms", "sent", 1,
                   datetime(2026, 11, 30, 4, 1, tzinfo=UTC))
    queued = Receipt(sent.key, "acc-mother", "absence", "lrn-bat", "", "queued", 0,
                     datetime(2026, 11, 30, 4, 0, tzinfo=UTC))
    with deps.uow() as uow:
        record_receipt(uow, sent)
        record_receipt(uow, queued)  # arrived late
        uow.commit()

    assert views.settings(MOTHER, deps)[2] == [sent]
    assert views.settings(STRANGER, deps)[2] == []
