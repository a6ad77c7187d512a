""""Today" in a time zone, with a development override of the calendar date.

``ESIS_TODAY=YYYY-MM-DD`` makes :func:`today` answer that date in every zone, so a demo or an end-to-end test
can work on a weekend or a holiday as if it were a working day. Only the calendar date moves: times of day and
every recorded instant stay real (callers keep using the real ``datetime.now``). A production profile refuses
the variable at start-up (:func:`guard`, called by ``esis_shared.runtime.main``); a service that starts with it
set logs a warning.

Use :func:`today` wherever code means "the day it is now" for people (today's records, "due tomorrow"), instead
of ``date.today()`` or ``datetime.now(...).date()``.
"""

from __future__ import annotations

import logging
import os
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime, tzinfo

ENV = "ESIS_TODAY"
_FORMAT = re.compile(r"\d{4}-\d{2}-\d{2}")
log = logging.getLogger(__name__)


class DateOverrideError(ValueError):
    """``ESIS_TODAY`` is not a date written YYYY-MM-DD."""


def override(environ: Mapping[str, str] | None = None) -> date | None:
    """The date ``ESIS_TODAY`` sets, or None when it is unset or empty."""
    raw = (os.environ if environ is None else environ).get(ENV, "").strip()
    if not raw:
        return None
    try:
        if not _FORMAT.fullmatch(raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise DateOverrideError(f"{ENV}={raw!r} is not a date written YYYY-MM-DD (e.g. 2026-11-27)") from None


def today(zone: tzinfo, now: datetime | None = None, environ: Mapping[str, str] | None = None) -> date:
    """The calendar date in ``zone``: ``ESIS_TODAY`` when set, else the date of ``now`` (default: real time) there."""
    fixed = override(environ)
    if fixed is not None:
        return fixed
    return (now if now is not None else datetime.now(UTC)).astimezone(zone).date()


def guard(service: str, *, production: bool, environ: Mapping[str, str] | None = None) -> date | None:
    """Start-up check: a malformed value or any value under a production profile stops the process
    (``SystemExit`` naming the variable); a valid development value is logged as a warning and returned."""
    try:
        fixed = override(environ)
    except DateOverrideError as exc:
        raise SystemExit(f"✗ {service}: {exc}") from None
    if fixed is None:
        return None
    if production:
        raise SystemExit(f"✗ {service}: {ENV}={fixed.isoformat()} is a development setting and the production "
                         f"profile refuses it; unset {ENV}")
    log.warning("%s=%s: %s takes %s (%s) as today; times of day stay real", ENV, fixed.isoformat(), service,
                fixed.isoformat(), fixed.strftime("%A"))
    return fixed
