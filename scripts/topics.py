"""Create every topic of the registry (and its dead-letter topic) on a Kafka-protocol broker.

Every topic means the declared ones and each topic family's instances (e.g. ``feeds.aimag.{aimag}.v1`` for every
aimag code its file lists). Production creates topics from the same registry (with its partitions) before services
start; auto-created topics would get the broker's defaults instead. Existing topics are kept as they are.
"""

from __future__ import annotations

import argparse

from esis_shared.kafka import ensure_topics
from esis_shared.registry import TopicRegistry, default_proto_dir


def plan(registry: TopicRegistry) -> list[tuple[str, int]]:
    """(name, partitions) of every topic to create, family instances included (dead-letter topics are added by
    ``ensure_topics``)."""
    return [(t.name, t.partitions) for t in registry.topics]


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap", required=True)
    args = parser.parse_args(argv)
    registry = TopicRegistry.load(default_proto_dir() / "topics")
    wanted = plan(registry)
    ensure_topics(args.bootstrap, wanted, with_dlq=True)
    instances = sum(len(f.values) for f in registry.families)
    print(f"topics ready: {len(wanted)} ({instances} of them from {len(registry.families)} topic families) "
          "(+ dead-letter topics)")


if __name__ == "__main__":
    main()
