"""``esis_shared.clock``: "today" in a zone, and the development override ``ESIS_TODAY``."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest
from esis_shared import clock, runtime
from esis_shared.config import ServiceSettings

UB = ZoneInfo("Asia/Ulaanbaatar")
# Sunday 29 November 2026, 17:30 UTC = Monday 30 November 01:30 in Ulaanbaatar.
LATE_SUNDAY_UTC = datetime(2026, 11, 29, 17, 30, tzinfo=UTC)


def test_today_is_the_local_date_of_the_zone_without_an_override() -> None:
    assert clock.today(UB, LATE_SUNDAY_UTC, environ={}) == date(2026, 11, 30)
    assert clock.today(UTC, LATE_SUNDAY_UTC, environ={}) == date(2026, 11, 29)
    assert clock.today(timezone(timedelta(hours=-5)), LATE_SUNDAY_UTC, environ={}) == date(2026, 11, 29)


def test_today_without_a_given_instant_uses_the_real_time(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(clock.ENV, raising=False)
    assert clock.today(UB) == datetime.now(UB).date()


def test_the_override_sets_the_date_in_every_zone(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENV, "2026-11-27")
    assert clock.today(UB) == date(2026, 11, 27)
    assert clock.today(UTC, LATE_SUNDAY_UTC) == date(2026, 11, 27)
    assert clock.override() == date(2026, 11, 27)


def test_an_empty_override_means_none() -> None:
    assert clock.override({clock.ENV: "  "}) is None
    assert clock.today(UB, LATE_SUNDAY_UTC, environ={clock.ENV: ""}) == date(2026, 11, 30)


@pytest.mark.parametrize("raw", ["27.11.2026", "20261127", "2026-W48-5", "2026-02-30", "tomorrow", "2026-11-27T08:00"])
def test_a_malformed_override_is_refused_naming_the_variable(raw: str) -> None:
    with pytest.raises(clock.DateOverrideError, match="ESIS_TODAY.*YYYY-MM-DD"):
        clock.today(UB, LATE_SUNDAY_UTC, environ={clock.ENV: raw})


def test_guard_refuses_the_override_under_the_production_profile() -> None:
    with pytest.raises(SystemExit, match="teacher: ESIS_TODAY=2026-11-27 .*production profile refuses it"):
        clock.guard("teacher", production=True, environ={clock.ENV: "2026-11-27"})


def test_guard_stops_on_a_malformed_value_even_in_development() -> None:
    with pytest.raises(SystemExit, match="parent: ESIS_TODAY='friday'"):
        clock.guard("parent", production=False, environ={clock.ENV: "friday"})


def test_guard_warns_in_development_and_is_quiet_without_the_variable(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="esis_shared.clock"):
        assert clock.guard("parent", production=False, environ={}) is None
        assert caplog.records == []
        assert clock.guard("parent", production=False, environ={clock.ENV: "2026-11-27"}) == date(2026, 11, 27)
    [warning] = caplog.records
    assert warning.levelno == logging.WARNING
    assert "ESIS_TODAY=2026-11-27" in warning.getMessage() and "Friday" in warning.getMessage()


def test_a_production_service_does_not_start_with_the_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(clock.ENV, "2026-11-27")
    ran: list[str] = []
    settings = ServiceSettings(service_name="things", profile="production", log_json=False)
    with pytest.raises(SystemExit, match="things: ESIS_TODAY"):
        runtime.main(settings, {"serve": lambda: ran.append("serve")}, [])
    assert ran == []
    runtime.main(ServiceSettings(service_name="things", log_json=False), {"serve": lambda: ran.append("serve")}, [])
    assert ran == ["serve"]
