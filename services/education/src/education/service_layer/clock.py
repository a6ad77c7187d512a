"""Time, injectable: instants in UTC, calendar days in Mongolia (UTC+8, no daylight saving since 2017)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from esis_shared import clock

MONGOLIA = timezone(timedelta(hours=8), "Asia/Ulaanbaatar")


class Clock:
    def now(self) -> datetime:
        return datetime.now(UTC)

    def today(self) -> date:
        return clock.today(MONGOLIA, self.now())  # ESIS_TODAY moves it in development


class FixedClock(Clock):
    def __init__(self, at: datetime) -> None:
        self.at = at

    def now(self) -> datetime:
        return self.at

    def advance(self, delta: timedelta) -> None:
        self.at += delta
