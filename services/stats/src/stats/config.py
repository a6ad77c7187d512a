"""stats' settings: environment variables ``STATS_*`` (see README.md for the full list)."""

from __future__ import annotations

from esis_shared.config import ServiceSettings, prefixed


class Settings(ServiceSettings):
    model_config = prefixed("stats")

    service_name: str = "stats"
    http_port: int = 8006
    grpc_port: int | None = 9006
    database_url: str = "sqlite:///.run/stats.db"
    migrate_on_start: bool = True  # production runs the migration Job and sets this to false

    # Kafka consumer group of the projections; `rebuild` reads with no group at all.
    consumer_group: str = "stats"
    # CSRF signing secret shared by every service's pages (ESIS_CSRF_SECRET also works); required in production.
    csrf_secret: str | None = None
    # A TrueType font with Cyrillic glyphs for PDF reports (Debian: fonts-dejavu-core).
    pdf_font_file: str = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
