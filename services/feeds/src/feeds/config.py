"""feeds' settings: environment variables ``FEEDS_*`` (see README.md for the full list)."""

from __future__ import annotations

from esis_shared.config import ServiceSettings, prefixed
from pydantic import Field


class Settings(ServiceSettings):
    model_config = prefixed("feeds")

    service_name: str = "feeds"
    http_port: int = 8007
    grpc_port: int | None = 9007
    database_url: str = "sqlite:///.run/feeds.db"
    migrate_on_start: bool = True  # production runs the migration Job and sets this to false

    consumer_group: str = "feeds"
    # Partitions of the feeds.aimag.<code>.v1 topics feeds creates at start-up; unset = the topic registry's
    # (proto/topics/feeds.aimag.v1.yaml). Topics that already exist keep theirs.
    feed_partitions: int | None = Field(default=None, ge=1)
    max_page_size: int = 1000
