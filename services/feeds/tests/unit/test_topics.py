"""The per-aimag topics come from the topic registry's family feeds.aimag.v1: the codes feeds routes to, the topics
it creates at start-up (with the registry's partitions unless FEEDS_FEED_PARTITIONS says otherwise), and feeds
never consumes its own feeds."""

from __future__ import annotations

import pytest
from esis_shared.registry import TopicRegistry, default_proto_dir
from feeds.config import Settings
from feeds.domain.feed import codes, route, topic_for
from feeds.entrypoints.consumer import handlers, registry, topics
from feeds.entrypoints.main import feed_topics

FAMILY = TopicRegistry.load(default_proto_dir() / "topics").family("feeds.aimag.v1")


def test_feeds_route_to_exactly_the_codes_the_registry_lists() -> None:
    assert codes() == set(FAMILY.values) and len(codes()) == 31
    assert (route("65"), route(" 1125 "), route("99"), route(None)) == ("65", "1125", None, None)
    assert topic_for("65") == "feeds.aimag.65.v1"


def test_start_up_creates_every_instance_with_the_registrys_partitions(monkeypatch) -> None:
    monkeypatch.delenv("FEEDS_FEED_PARTITIONS", raising=False)
    planned = feed_topics(Settings(kafka_enabled=False))
    assert sorted(planned) == sorted((f"feeds.aimag.{code}.v1", FAMILY.partitions) for code in FAMILY.values)


def test_the_partition_setting_overrides_the_registry_for_topics_feeds_creates(monkeypatch) -> None:
    monkeypatch.setenv("FEEDS_FEED_PARTITIONS", "6")
    assert {partitions for _, partitions in feed_topics(Settings(kafka_enabled=False))} == {6}


def test_a_partition_setting_below_one_is_refused(monkeypatch) -> None:
    monkeypatch.setenv("FEEDS_FEED_PARTITIONS", "0")
    with pytest.raises(ValueError, match="feed_partitions"):
        Settings(kafka_enabled=False)


def test_feeds_consume_every_domain_topic_but_not_their_own_feeds() -> None:
    reg = registry()
    consumed = topics(reg)
    assert "education.enrolments.v1" in consumed and "hr.staff.v1" in consumed
    assert not [name for name in consumed if name.startswith("feeds.")]
    declared = {m for spec in reg.topics if spec.owner != "feeds" for m in spec.messages}
    assert set(handlers(reg)) == declared
