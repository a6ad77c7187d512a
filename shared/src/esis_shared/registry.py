"""Topic registry: one YAML file per Kafka topic (or topic family), and the protobuf messages each topic may carry.

A registry directory holds `<topic name>.yaml` files (see proto/topics/README.md for the schema). A topic
family file (`<owner>.<stream>.v<major>.yaml`, name template `<owner>.<stream>.{<parameter>}.v<major>`) declares
one topic per listed instance value, e.g. `feeds.aimag.{aimag}.v1` → `feeds.aimag.65.v1`; `messages: ["*"]`
means any message a declared topic lists (republished unchanged). `TopicRegistry.topics` holds every concrete
topic, family instances included, with `*` already expanded to those message names.
Message names resolve through the default protobuf descriptor pool, so the generated `*_pb2`
modules must be imported first; `import_generated` does that for a whole generated tree.
"""

from __future__ import annotations

import dataclasses
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
FAMILY_NAME = re.compile(
    r"^(?P<owner>[a-z][a-z0-9-]*)\.(?P<stream>[a-z][a-z0-9_-]*)\.\{(?P<parameter>[a-z][a-z0-9_]*)\}\.v(?P<major>[1-9][0-9]*)$"
)
INSTANCE_VALUE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
MESSAGE_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$")
ANY_MESSAGE = "*"
CLEANUP_POLICIES = frozenset({"delete", "compact", "compact,delete"})
FIELDS = frozenset(
    {"name", "owner", "description", "key", "messages", "consumers", "partitions", "retention_ms", "cleanup_policy"}
)
FAMILY_FIELDS = FIELDS | {"instances"}
DLQ_SUFFIX = ".dlq"
PROTO_DIR_ENV = "ESIS_PROTO_DIR"


class RegistryError(ValueError):
    """A registry file is missing, malformed, or names something that does not exist."""


class UnknownTopicError(RegistryError, KeyError):
    """The registry has no topic (or topic family) of that name."""

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
    # For an instance of a topic family: the family's id (its file name without .yaml), e.g. "feeds.aimag.v1".
    family: str | None = None
    # Declared with messages ["*"]: ``messages`` is then every message a declared topic lists.
    any_message: bool = False

    @property
    def dlq(self) -> str:
        """The dead-letter topic every topic implicitly has."""
        return self.name + DLQ_SUFFIX


@dataclass(frozen=True)
class TopicFamily:
    """Topics that differ only in one name segment, declared in one file: ``template`` with a ``{parameter}``
    placeholder and the ``values`` it takes; every other field is shared by the instances."""

    id: str
    template: str
    parameter: str
    values: tuple[str, ...]
    owner: str
    description: str
    key: str
    messages: tuple[str, ...]
    consumers: tuple[str, ...]
    partitions: int
    retention_ms: int
    cleanup_policy: str
    source: Path

    def name_for(self, value: str) -> str:
        """The topic name for one value (also for a value not listed: callers check ``values`` themselves)."""
        return self.template.replace("{" + self.parameter + "}", value)

    def instances(self, any_message: tuple[str, ...] = ()) -> tuple[TopicSpec, ...]:
        """One TopicSpec per value; ``any_message`` replaces ``["*"]``."""
        wildcard = self.messages == (ANY_MESSAGE,)
        return tuple(
            TopicSpec(name=self.name_for(value), owner=self.owner, description=self.description, key=self.key,
                      messages=any_message if wildcard else self.messages, consumers=self.consumers,
                      partitions=self.partitions, retention_ms=self.retention_ms,
                      cleanup_policy=self.cleanup_policy, source=self.source, family=self.id, any_message=wildcard)
            for value in self.values
        )


class TopicRegistry:
    """The validated set of topics of one registry directory (family instances included)."""

    def __init__(self, topics: Mapping[str, TopicSpec], families: Mapping[str, TopicFamily] | None = None) -> None:
        declared = {name: spec for name, spec in topics.items() if not spec.any_message}
        any_message = tuple(sorted({m for spec in declared.values() for m in spec.messages if m != ANY_MESSAGE}))
        expanded = {name: _with_messages(spec, any_message) for name, spec in topics.items()}
        self._families = dict(sorted((families or {}).items()))
        # No instance can be a declared topic: instance names have one segment more than <owner>.<stream>.v<major>,
        # and two families of one template would share a file name.
        for family in self._families.values():
            expanded.update((spec.name, spec) for spec in family.instances(any_message))
        self._topics = dict(sorted(expanded.items()))

    @classmethod
    def load(cls, directory: str | Path) -> TopicRegistry:
        """Read and validate every `*.yaml` in directory; raises RegistryError naming file and field."""
        folder = Path(directory)
        if not folder.is_dir():
            raise RegistryError(f"{folder}: topic registry directory not found")
        # A file is named after its topic (or family), so one directory cannot declare a topic twice.
        parsed = [parse_topic_file(path) for path in sorted(folder.glob("*.yaml"))]
        return cls({p.name: p for p in parsed if isinstance(p, TopicSpec)},
                   {p.id: p for p in parsed if isinstance(p, TopicFamily)})

    @property
    def topics(self) -> tuple[TopicSpec, ...]:
        """Every concrete topic: the declared ones and each family's instances."""
        return tuple(self._topics.values())

    @property
    def families(self) -> tuple[TopicFamily, ...]:
        return tuple(self._families.values())

    def get(self, name: str) -> TopicSpec:
        """The topic called name; raises UnknownTopicError (a KeyError) when there is none."""
        try:
            return self._topics[name]
        except KeyError:
            raise UnknownTopicError(f"unknown topic {name!r}; known: {', '.join(self._topics)}") from None

    def family(self, family_id: str) -> TopicFamily:
        """The topic family of that id (its file name without .yaml, e.g. 'feeds.aimag.v1')."""
        try:
            return self._families[family_id]
        except KeyError:
            raise UnknownTopicError(f"unknown topic family {family_id!r}; known: "
                                    f"{', '.join(self._families) or 'none'}") from None

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


def _with_messages(spec: TopicSpec, any_message: tuple[str, ...]) -> TopicSpec:
    return dataclasses.replace(spec, messages=any_message) if spec.any_message else spec


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


def parse_topic_file(path: Path) -> TopicSpec | TopicFamily:
    """Validate one registry file: a topic, or a topic family when its name has a ``{placeholder}``."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise RegistryError(f"{path}: not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise RegistryError(f"{path}: expected a mapping of fields, got {type(data).__name__}")
    check = _Checker(path, data)
    if isinstance(data.get("name"), str) and "{" in data["name"]:
        return _parse_family(check)
    check.field_set(FIELDS)
    messages = check.message_names()
    spec = TopicSpec(
        name=check.topic_name(),
        owner=check.text("owner"),
        description=check.text("description"),
        key=check.text("key"),
        messages=messages,
        consumers=check.text_list("consumers", allow_empty=True),
        partitions=check.integer("partitions", minimum=1),
        retention_ms=check.retention(),
        cleanup_policy=check.choice("cleanup_policy", CLEANUP_POLICIES),
        source=path,
        any_message=messages == (ANY_MESSAGE,),
    )
    check.consistent(spec.name, spec.owner, spec.name)
    return spec


def _parse_family(check: _Checker) -> TopicFamily:
    check.field_set(FAMILY_FIELDS)
    template, parameter, family_id = check.family_name()
    family = TopicFamily(
        id=family_id,
        template=template,
        parameter=parameter,
        values=check.instance_values(parameter),
        owner=check.text("owner"),
        description=check.text("description"),
        key=check.text("key"),
        messages=check.message_names(),
        consumers=check.text_list("consumers", allow_empty=True),
        partitions=check.integer("partitions", minimum=1),
        retention_ms=check.retention(),
        cleanup_policy=check.choice("cleanup_policy", CLEANUP_POLICIES),
        source=check.path,
    )
    check.consistent(template, family.owner, family_id)
    return family


class _Checker:
    """Field checks for one registry file; every failure names the file and the field."""

    def __init__(self, path: Path, data: dict[str, Any]) -> None:
        self.path = path
        self.data = data

    def fail(self, field: str, problem: str) -> RegistryError:
        return RegistryError(f"{self.path}: field {field!r}: {problem}")

    def field_set(self, fields: frozenset[str]) -> None:
        if "instances" in self.data and "instances" not in fields:
            raise self.fail("instances", "only a topic family has instances: its name needs a {placeholder}, "
                                         "e.g. 'feeds.aimag.{aimag}.v1'")
        missing = sorted(fields - self.data.keys())
        if missing:
            raise self.fail(missing[0], f"is required (missing: {', '.join(missing)})")
        unknown = sorted(str(key) for key in self.data.keys() - fields)
        if unknown:
            raise self.fail(unknown[0], f"is not a registry field (allowed: {', '.join(sorted(fields))})")

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

    def family_name(self) -> tuple[str, str, str]:
        """(template, parameter, family id): the id is the template without its placeholder segment."""
        template = self.text("name")
        found = FAMILY_NAME.match(template)
        if not found:
            raise self.fail("name", f"{template!r} does not match <owner>.<stream>.{{<parameter>}}.v<major> (one "
                                    "placeholder, lower case, before the version), e.g. 'feeds.aimag.{aimag}.v1'")
        family_id = f"{found['owner']}.{found['stream']}.v{found['major']}"
        return template, found["parameter"], family_id

    def instance_values(self, parameter: str) -> tuple[str, ...]:
        value = self.data["instances"]
        example = f"{{{parameter}: ['65', '83']}}"
        if not isinstance(value, dict) or list(value) != [parameter]:
            got = sorted(map(str, value)) if isinstance(value, dict) else value
            raise self.fail("instances", f"must map the name's placeholder {parameter!r} (only) to its values, "
                                         f"e.g. {example}; got {got!r}")
        values = value[parameter]
        if not isinstance(values, list) or not values:
            raise self.fail("instances", f"{parameter!r} must be a non-empty list of values, got {values!r}")
        for item in values:
            if not isinstance(item, str):
                raise self.fail("instances", f"values must be strings (quote numbers, e.g. '65'), got {item!r}")
            if not INSTANCE_VALUE.match(item):
                raise self.fail("instances", f"{item!r} is not a topic name segment (lower case letters, digits, "
                                             "'_' or '-')")
        duplicates = sorted({item for item in values if values.count(item) > 1})
        if duplicates:
            raise self.fail("instances", f"{parameter!r} lists {duplicates[0]!r} more than once")
        return tuple(values)

    def message_names(self) -> tuple[str, ...]:
        names = self.text_list("messages", allow_empty=False)
        if ANY_MESSAGE in names:
            if names != (ANY_MESSAGE,):
                raise self.fail("messages", "'*' (any registered domain message) must be the only entry")
            return names
        bad = [name for name in names if not MESSAGE_NAME.match(name)]
        if bad:
            raise self.fail("messages", f"{bad[0]!r} is not a full protobuf name like 'pkg.v1.Message' (or ['*'])")
        return names

    def consistent(self, name: str, owner: str, file_stem: str) -> None:
        if name.split(".", 1)[0] != owner:
            raise self.fail("owner", f"{owner!r} must be the first part of the topic name {name!r}")
        if self.path.name != f"{file_stem}.yaml":
            raise self.fail("name", f"{name!r} must match the file name (expected {file_stem}.yaml)")


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
