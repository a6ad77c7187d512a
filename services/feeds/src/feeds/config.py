"""feeds' settings: environment variables ``FEEDS_*`` (see README.md for the full list)."""

from __future__ import annotations

from esis_shared.config import ServiceSettings, prefixed


class Settings(ServiceSettings):
    model_config = prefixed("feeds")

    service_name: str = "feeds"
    http_port: int = 8007
    grpc_port: int | None = 9007
    database_url: str = "sqlite:///.run/feeds.db"
    migrate_on_start: bool = True  # production runs the migration Job and sets this to false

    consumer_group: str = "feeds"
    # Partitions of every feeds.aimag.<code>.v1 topic feeds creates at start-up.
    feed_partitions: int = 3
    max_page_size: int = 1000
