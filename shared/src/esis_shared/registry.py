"""Topic registry: one YAML file per Kafka topic, and the protobuf messages each topic may carry.

A registry directory holds `<topic name>.yaml` files (see proto/topics/README.md for the schema).
Message names resolve through the default protobuf descriptor pool, so the generated `*_pb2`
modules must be imported first; `import_generated` does that for a whole generated tree.
"""

from __future__ import annotations

import importlib
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from google.protobuf import descriptor_pool, message_factory
from google.protobuf.message import Message

TOPIC_NAME = re.compile(r"^(?P<owner>[a-z][a-z0-9-]*)\.[a-z][a-z0-9_-]*\.v[1-9][0-9]*$")
MESSAGE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")
CLEANUP_POLICIES = frozenset({"delete", "compact", "compact,delete"})
FIELDS = frozenset(
    {"name", "owner", "description", "key", "messages", "consumers", "partitions", "retention_ms", "cleanup_policy"}
)
DLQ_SUFFIX = ".dlq"
PROTO_DIR_ENV = "ESIS_PROTO_DIR"


class RegistryError(ValueError):
    """A registry file is missing, malformed, or names something that does not exist."""


class UnknownTopicError(RegistryError, KeyError):
    """The registry has no topic of that name."""

    def __str__(self) -> str:
        return str(self.args[0])


@dataclass(frozen=True)
class TopicSpec:
    """One topic as declared in its registry file."""

    name: str
    owner: str
    description: str
    key: str
    messages: tuple[str, ...]
    consumers: tuple[str, ...]
    partitions: int
    retention_ms: int
    cleanup_policy: str
    source: Path

    @property
    def dlq(self) -> str:
        """The dead-letter topic every topic implicitly has."""
        return self.name + DLQ_SUFFIX


class TopicRegistry:
    """The validated set of topics of one registry directory."""

    def __init__(self, topics: Mapping[str, TopicSpec]) -> None:
        self._topics = dict(sorted(topics.items()))

    @classmethod
    def load(cls, directory: str | Path) -> TopicRegistry:
        """Read and validate every `*.yaml` in directory; raises RegistryError naming file and field."""
        folder = Path(directory)
        if not folder.is_dir():
            raise RegistryError(f"{folder}: topic registry directory not found")
        # A file is named after its topic, so one directory cannot declare a topic twice.
        specs = (parse_topic_file(path) for path in sorted(folder.glob("*.yaml")))
        return cls({spec.name: spec for spec in specs})

    @property
    def topics(self) -> tuple[TopicSpec, ...]:
        return tuple(self._topics.values())

    def get(self, name: str) -> TopicSpec:
        """The topic called name; raises UnknownTopicError (a KeyError) when there is none."""
        try:
            return self._topics[name]
        except KeyError:
            raise UnknownTopicError(f"unknown topic {name!r}; known: {', '.join(self._topics)}") from None

    def allowed(self, topic: str, full_name: str) -> bool:
        """Whether messages of protobuf type full_name may be published on topic."""
        spec = self._topics.get(topic)
        return spec is not None and full_name in spec.messages

    def message_class(self, full_name: str) -> type[Message]:
        """The generated class of a protobuf message, looked up in the default descriptor pool."""
        return message_class(full_name)

    def message_names(self) -> tuple[str, ...]:
        """Every message name any topic allows, once each."""
        return tuple(sorted({name for spec in self.topics for name in spec.messages}))


def message_class(full_name: str) -> type[Message]:
    """Resolve a full protobuf name (e.g. `pkg.v1.Thing`) to its message class."""
    try:
        descriptor = descriptor_pool.Default().FindMessageTypeByName(full_name)
    except KeyError:
        raise RegistryError(
            f"protobuf message {full_name!r} is not in the descriptor pool; generate the code and "
            "call import_generated() first"
        ) from None
    return message_factory.GetMessageClass(descriptor)


def parse_topic_file(path: Path) -> TopicSpec:
    """Validate one registry file and build its TopicSpec."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise RegistryError(f"{path}: expected a mapping of fields, got {type(data).__name__}")
    check = _Checker(path, data)
    check.field_set()
    spec = TopicSpec(
        name=check.topic_name(),
        owner=check.text("owner"),
        description=check.text("description"),
        key=check.text("key"),
        messages=check.message_names(),
        consumers=check.text_list("consumers", allow_empty=True),
        partitions=check.integer("partitions", minimum=1),
        retention_ms=check.retention(),
        cleanup_policy=check.choice("cleanup_policy", CLEANUP_POLICIES),
        source=path,
    )
    check.consistent(spec)
    return spec


class _Checker:
    """Field checks for one registry file; every failure names the file and the field."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    def fail(self, field: str, problem: str) -> RegistryError:
        return RegistryError(f"{self.path}: field {field!r}: {problem}")

    def field_set(self) -> None:
        missing = sorted(FIELDS - self.data.keys())
        if missing:
            raise self.fail(missing[0], f"is required (missing: {', '.join(missing)})")
        unknown = sorted(str(key) for key in self.data.keys() - FIELDS)
        if unknown:
            raise self.fail(unknown[0], f"is not a registry field (allowed: {', '.join(sorted(FIELDS))})")

    def text(self, field: str) -> str:
        value = self.data[field]
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field, f"must be a non-empty string, got {value!r}")
        return value.strip()

    def text_list(self, field: str, *, allow_empty: bool) -> tuple[str, ...]:
        value = self.data[field]
        if not isinstance(value, list) or not (value or allow_empty):
            raise self.fail(field, f"must be a {'' if allow_empty else 'non-empty '}list, got {value!r}")
        bad = [item for item in value if not isinstance(item, str) or not item.strip()]
        if bad:
            raise self.fail(field, f"entries must be non-empty strings, got {bad[0]!r}")
        if len(set(value)) != len(value):
            raise self.fail(field, "has duplicate entries")
        return tuple(value)

    def integer(self, field: str, *, minimum: int) -> int:
        value = self.data[field]
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            raise self.fail(field, f"must be an integer >= {minimum}, got {value!r}")
        return value

    def retention(self) -> int:
        if self.data["retention_ms"] == -1:
            return -1
        return self.integer("retention_ms", minimum=1)

    def choice(self, field: str, options: frozenset[str]) -> str:
        value = self.data[field]
        if value not in options:
            raise self.fail(field, f"must be one of {sorted(options)}, got {value!r}")
        return str(value)

    def topic_name(self) -> str:
        name = self.text("name")
        if not TOPIC_NAME.match(name) or name.endswith(DLQ_SUFFIX):
            raise self.fail("name", f"{name!r} does not match <owner>.<stream>.v<major>, e.g. 'identity.accounts.v1'")
        return name

    def message_names(self) -> tuple[str, ...]:
        names = self.text_list("messages", allow_empty=False)
        bad = [name for name in names if not MESSAGE_NAME.match(name)]
        if bad:
            raise self.fail("messages", f"{bad[0]!r} is not a full protobuf name like 'pkg.v1.Message'")
        return names

    def consistent(self, spec: TopicSpec) -> None:
        if spec.name.split(".", 1)[0] != spec.owner:
            raise self.fail("owner", f"{spec.owner!r} must be the first part of the topic name {spec.name!r}")
        if self.path.name != f"{spec.name}.yaml":
            raise self.fail("name", f"{spec.name!r} must match the file name (expected {spec.name}.yaml)")


def import_generated(root_dir: str | Path, package: str = "esis") -> list[str]:
    """Import every `*_pb2` module of package under root_dir, so the descriptor pool knows all messages.

    root_dir is the folder that contains the package (e.g. `.gen/python`); it is put on sys.path
    when missing. Returns the imported module names.
    """
    root = Path(root_dir).resolve()
    if not (root / package).is_dir():
        raise RegistryError(f"{root / package}: no generated package {package!r}; generate the protobuf code first")
    if str(root) not in sys.path:
        sys.path.insert(0, str(root))
    modules = sorted(
        ".".join(path.relative_to(root).with_suffix("").parts) for path in (root / package).rglob("*_pb2.py")
    )
    for module in modules:
        importlib.import_module(module)
    return modules


def default_proto_dir() -> Path:
    """The repository's proto/ folder: $ESIS_PROTO_DIR, else the nearest `proto/` above the cwd."""
    configured = os.environ.get(PROTO_DIR_ENV)
    if configured:
        path = Path(configured)
        if not path.is_dir():
            raise RegistryError(f"{PROTO_DIR_ENV}={configured}: not a directory")
        return path
    here = Path.cwd().resolve()
    for folder in (here, *here.parents):
        candidate = folder / "proto"
        if (candidate / "topics").is_dir():
            return candidate
    raise RegistryError(f"no proto/ directory with topics/ above {here}; set {PROTO_DIR_ENV}")
