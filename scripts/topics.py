"""Create every topic of the registry (and its dead-letter topic) on a Kafka-protocol broker.

Production creates topics from the same registry (with its partitions and retention) before services start;
auto-created topics would get the broker's defaults instead.
"""

from __future__ import annotations

import argparse

from esis_shared.kafka import ensure_topics
from esis_shared.registry import TopicRegistry, default_proto_dir


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bootstrap", required=True)
    args = parser.parse_args()
    registry = TopicRegistry.load(default_proto_dir() / "topics")
    ensure_topics(args.bootstrap, [(t.name, t.partitions) for t in registry.topics], with_dlq=True)
    print(f"topics ready: {len(registry.topics)} (+ dead-letter topics)")


if __name__ == "__main__":
    main()
