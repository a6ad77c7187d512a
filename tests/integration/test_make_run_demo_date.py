"""`make run`'s demo date, against the teacher service's real reference calendar (no servers needed).

On a day without school the supervisor hands every process ``ESIS_TODAY`` = the most recent school day, so the
demo teacher can mark attendance and the demo parent sees it as today's; a user's own ``ESIS_TODAY`` wins.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import devrun  # noqa: E402


def test_on_a_sunday_every_service_gets_the_friday_before() -> None:
    environ: dict[str, str] = {}
    line = devrun.choose_demo_date(environ, real=date(2026, 11, 29))
    assert environ == {"ESIS_TODAY": "2026-11-27"}
    assert line is not None and line.startswith("Demo date: 2026-11-27 (Friday)")
    assert "2026-11-29 (Sunday), is not a school day (it is a weekend)" in line


def test_a_holiday_and_the_weekend_after_it_go_back_to_the_last_school_day() -> None:
    environ: dict[str, str] = {}
    line = devrun.choose_demo_date(environ, real=date(2026, 11, 26))  # Independence Day, a Thursday
    assert environ == {"ESIS_TODAY": "2026-11-25"} and "holiday (Independence Day)" in (line or "")


def test_a_break_between_terms_and_the_summer_go_back_to_the_last_day_of_lessons() -> None:
    environ: dict[str, str] = {}
    devrun.choose_demo_date(environ, real=date(2026, 11, 4))  # the early-November break
    assert environ == {"ESIS_TODAY": "2026-10-30"}
    summer: dict[str, str] = {}
    devrun.choose_demo_date(summer, real=date(2026, 7, 20))  # no school year covers the summer
    assert summer == {"ESIS_TODAY": "2026-06-15"}


def test_on_a_school_day_nothing_is_set_and_nothing_is_said() -> None:
    environ: dict[str, str] = {}
    assert devrun.choose_demo_date(environ, real=date(2026, 11, 30)) is None
    assert environ == {}


def test_the_users_own_date_wins_and_a_day_without_school_is_pointed_out() -> None:
    environ = {"ESIS_TODAY": "2026-11-28"}
    line = devrun.choose_demo_date(environ, real=date(2026, 11, 29))
    assert environ == {"ESIS_TODAY": "2026-11-28"}
    assert line == ("Demo date: 2026-11-28 (Saturday) — ESIS_TODAY from your environment; not a school day "
                    "(it is a weekend): the teacher cannot mark attendance")


def test_a_malformed_date_stops_make_run_naming_the_variable() -> None:
    with pytest.raises(SystemExit, match="ESIS_TODAY='28/11/2026' is not a date written YYYY-MM-DD"):
        devrun.choose_demo_date({"ESIS_TODAY": "28/11/2026"}, real=date(2026, 11, 29))
