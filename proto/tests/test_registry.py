"""Contract tests of the topic registry, the generated messages and the golden example payloads."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest
from esis_shared.registry import (
    RegistryError,
    TopicRegistry,
    UnknownTopicError,
    default_proto_dir,
    import_generated,
)
from google.protobuf import json_format
from google.protobuf.descriptor import Descriptor

PROTO_DIR = Path(__file__).resolve().parents[1]
EXAMPLES_DIR = PROTO_DIR / "examples"
# Field names that would put credentials or national identifiers into an event.
FORBIDDEN_FIELD_WORDS = ("password", "hash", "secret", "token", "register", "registry_number")

VALID_TOPIC = """\
name: school.things.v1
owner: school
description: Things that happen.
key: thing_id
messages: [esis.identity.v1.AccountCreated]
consumers: [stats]
partitions: 2
retention_ms: 604800000
cleanup_policy: delete
"""


def example_path(full_name: str) -> Path:
    return EXAMPLES_DIR / f"{full_name}.json"


def all_message_names() -> tuple[str, ...]:
    return TopicRegistry.load(PROTO_DIR / "topics").message_names()


def nested_descriptors(descriptor: Descriptor, seen: set[str] | None = None) -> list[Descriptor]:
    """descriptor and every message type reachable through its fields."""
    seen = seen if seen is not None else set()
    if descriptor.full_name in seen:
        return []
    seen.add(descriptor.full_name)
    found = [descriptor]
    for field in descriptor.fields:
        if field.message_type is not None:
            found += nested_descriptors(field.message_type, seen)
    return found


def write_topic(folder: Path, text: str, filename: str = "school.things.v1.yaml") -> Path:
    path = folder / filename
    path.write_text(text, encoding="utf-8")
    return path


def test_every_registry_file_loads(registry: TopicRegistry) -> None:
    yaml_files = sorted(p.name for p in (PROTO_DIR / "topics").glob("*.yaml"))
    declared = [f"{spec.name}.yaml" for spec in registry.topics if spec.family is None]
    families = [f"{family.id}.yaml" for family in registry.families]
    assert sorted(declared + families) == yaml_files
    assert registry.get("identity.accounts.v1").key == "account_id"


def test_the_per_aimag_feeds_are_a_topic_family_of_every_area(registry: TopicRegistry) -> None:
    family = registry.family("feeds.aimag.v1")
    instances = [spec for spec in registry.topics if spec.family == "feeds.aimag.v1"]
    assert (family.template, family.parameter, family.owner) == ("feeds.aimag.{aimag}.v1", "aimag", "feeds")
    assert len(family.values) == 31 and {"11", "65", "83", "1101"} <= set(family.values)
    assert [spec.name for spec in instances] == sorted(f"feeds.aimag.{code}.v1" for code in family.values)
    assert registry.get("feeds.aimag.65.v1").dlq == "feeds.aimag.65.v1.dlq"


def test_a_feed_topic_may_carry_every_registered_domain_message_and_nothing_else(registry: TopicRegistry) -> None:
    feed = registry.get("feeds.aimag.65.v1")
    declared = {m for spec in registry.topics if spec.family is None for m in spec.messages}
    assert feed.any_message and set(feed.messages) == declared
    assert registry.allowed("feeds.aimag.65.v1", "esis.education.v1.LearnerWithdrawn")
    assert registry.allowed("feeds.aimag.1125.v1", "esis.hr.v1.StaffExited")
    assert not registry.allowed("feeds.aimag.65.v1", "esis.identity.v1.Account")
    assert not registry.allowed("feeds.aimag.99.v1", "esis.education.v1.LearnerWithdrawn")
    assert "*" not in registry.message_names()


def test_topic_creation_plans_every_declared_topic_and_every_family_instance(registry: TopicRegistry) -> None:
    spec = importlib.util.spec_from_file_location("topics_script", PROTO_DIR.parent / "scripts" / "topics.py")
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)

    planned = dict(script.plan(registry))
    assert planned["identity.accounts.v1"] == registry.get("identity.accounts.v1").partitions
    assert {name for name in planned if name.startswith("feeds.aimag.")} == {
        f"feeds.aimag.{code}.v1" for code in registry.family("feeds.aimag.v1").values}
    assert planned["feeds.aimag.11.v1"] == registry.family("feeds.aimag.v1").partitions


def test_every_registered_message_resolves_to_generated_code(registry: TopicRegistry) -> None:
    missing = []
    for name in registry.message_names():
        try:
            assert registry.message_class(name).DESCRIPTOR.full_name == name
        except RegistryError:
            missing.append(name)
    assert missing == [], f"messages named in proto/topics but not generated: {missing}"


@pytest.mark.parametrize("full_name", all_message_names())
def test_registered_message_has_golden_example(full_name: str) -> None:
    assert example_path(full_name).is_file(), f"add proto/examples/{full_name}.json"


@pytest.mark.parametrize("full_name", all_message_names())
def test_golden_example_round_trips_through_the_wire_format(registry: TopicRegistry, full_name: str) -> None:
    cls = registry.message_class(full_name)
    golden = json.loads(example_path(full_name).read_text(encoding="utf-8"))
    parsed = json_format.Parse(json.dumps(golden), cls())
    decoded = cls.FromString(parsed.SerializeToString())
    assert json_format.MessageToDict(decoded) == golden


@pytest.mark.parametrize("full_name", all_message_names())
def test_golden_example_sets_every_field(registry: TopicRegistry, full_name: str) -> None:
    descriptor = registry.message_class(full_name).DESCRIPTOR
    golden = json.loads(example_path(full_name).read_text(encoding="utf-8"))
    unset = [f.name for f in descriptor.fields if f.containing_oneof is None and f.json_name not in golden]
    assert unset == [], f"proto/examples/{full_name}.json should show every field; missing {unset}"


def test_every_golden_example_names_a_known_message(registry: TopicRegistry) -> None:
    unknown = []
    for path in sorted(EXAMPLES_DIR.glob("*.json")):
        try:
            registry.message_class(path.stem)
        except RegistryError:
            unknown.append(path.name)
    assert unknown == [], f"examples for messages that do not exist: {unknown}"


def test_events_carry_no_credentials_or_register_numbers(registry: TopicRegistry) -> None:
    offending = [
        f"{descriptor.full_name}.{field.name}"
        for name in registry.message_names()
        for descriptor in nested_descriptors(registry.message_class(name).DESCRIPTOR)
        for field in descriptor.fields
        if any(word in field.name for word in FORBIDDEN_FIELD_WORDS)
    ]
    assert offending == []


def test_allowed_accepts_only_messages_listed_for_the_topic(registry: TopicRegistry) -> None:
    assert registry.allowed("identity.accounts.v1", "esis.identity.v1.AccountCreated")
    assert not registry.allowed("identity.accounts.v1", "esis.identity.v1.Account")
    assert not registry.allowed("no.such.v1", "esis.identity.v1.AccountCreated")


def test_unknown_topic_lookup_names_the_topic(registry: TopicRegistry) -> None:
    with pytest.raises(UnknownTopicError, match="no.such.v1"):
        registry.get("no.such.v1")


def test_every_topic_has_a_dead_letter_topic(registry: TopicRegistry) -> None:
    assert registry.get("identity.accounts.v1").dlq == "identity.accounts.v1.dlq"


def test_unknown_message_name_is_a_clear_error(registry: TopicRegistry) -> None:
    with pytest.raises(RegistryError, match="esis.identity.v1.NoSuchEvent"):
        registry.message_class("esis.identity.v1.NoSuchEvent")


def test_a_well_formed_topic_file_loads(tmp_path: Path) -> None:
    write_topic(tmp_path, VALID_TOPIC)
    spec = TopicRegistry.load(tmp_path).get("school.things.v1")
    assert (spec.owner, spec.partitions, spec.consumers) == ("school", 2, ("stats",))


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("partitions: 2", "partitions: 0"), "partitions"),
        (("partitions: 2", "partitions: many"), "partitions"),
        (("key: thing_id\n", ""), "key"),
        (("name: school.things.v1", "name: school.things"), "name"),
        (("owner: school", "owner: hr"), "owner"),
        (("messages: [esis.identity.v1.AccountCreated]", "messages: []"), "messages"),
        (("messages: [esis.identity.v1.AccountCreated]", "messages: [AccountCreated]"), "messages"),
        (("cleanup_policy: delete", "cleanup_policy: forever"), "cleanup_policy"),
        (("retention_ms: 604800000", "retention_ms: 0"), "retention_ms"),
        (("consumers: [stats]", "consumers: [stats]\npartitons: 3"), "partitons"),
    ],
)
def test_malformed_topic_file_is_rejected_naming_file_and_field(
    tmp_path: Path, change: tuple[str, str], field: str
) -> None:
    path = write_topic(tmp_path, VALID_TOPIC.replace(*change))
    with pytest.raises(RegistryError) as error:
        TopicRegistry.load(tmp_path)
    assert str(path) in str(error.value)
    assert f"field {field!r}" in str(error.value)


def test_topic_file_must_be_named_after_its_topic(tmp_path: Path) -> None:
    write_topic(tmp_path, VALID_TOPIC, filename="things.yaml")
    with pytest.raises(RegistryError, match="school.things.v1.yaml"):
        TopicRegistry.load(tmp_path)


def test_a_file_that_is_not_a_mapping_is_rejected(tmp_path: Path) -> None:
    path = write_topic(tmp_path, "- just\n- a list\n")
    with pytest.raises(RegistryError, match=str(path)):
        TopicRegistry.load(tmp_path)


def test_proto_dir_is_found_by_walking_up_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "proto" / "topics").mkdir(parents=True)
    (tmp_path / "services" / "x").mkdir(parents=True)
    monkeypatch.delenv("ESIS_PROTO_DIR", raising=False)
    monkeypatch.chdir(tmp_path / "services" / "x")
    assert default_proto_dir() == (tmp_path / "proto").resolve()


def test_proto_dir_environment_variable_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ESIS_PROTO_DIR", str(tmp_path))
    assert default_proto_dir() == tmp_path


def test_importing_a_tree_without_generated_code_says_to_generate_it(tmp_path: Path) -> None:
    with pytest.raises(RegistryError, match="generate"):
        import_generated(tmp_path)
