"""Process entry: ``python -m gateway [serve]``."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from esis_shared import runtime

from gateway.bootstrap import InsecureConfiguration, build_app
from gateway.config import Settings

log = logging.getLogger(__name__)


def serve(settings: Settings) -> None:
    try:
        app = build_app(settings)
    except InsecureConfiguration as exc:
        log.error("%s", exc)
        raise SystemExit(2) from exc
    runtime.serve(settings, app)


def main(argv: Sequence[str] | None = None) -> None:
    settings = Settings()
    runtime.main(settings, {"serve": lambda: serve(settings)}, argv)
