"""Topic families in the registry: one file declares a topic per instance value, ``messages: ["*"]`` stands for
every message a declared topic lists, and a malformed family file is refused naming the file and the field."""

from __future__ import annotations

from pathlib import Path

import pytest
from esis_shared.registry import RegistryError, TopicRegistry, UnknownTopicError

DECLARED = """\
name: school.things.v1
owner: school
description: Things that happen.
key: thing_id
messages: [esis.identity.v1.AccountCreated, esis.hr.v1.StaffExited]
consumers: [area]
partitions: 6
retention_ms: 604800000
cleanup_policy: delete
"""

FAMILY = """\
name: area.copies.{area}.v1
owner: area
description: Every event about one area, republished unchanged.
key: the source event's key
messages: ["*"]
consumers: []
instances:
  area: ["65", "83", "north-1"]
partitions: 2
retention_ms: 2592000000
cleanup_policy: delete
"""


def write(folder: Path, text: str, filename: str) -> Path:
    path = folder / filename
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    write(tmp_path, DECLARED, "school.things.v1.yaml")
    return tmp_path


def test_a_family_declares_one_topic_per_instance_with_the_shared_fields(folder: Path) -> None:
    write(folder, FAMILY, "area.copies.v1.yaml")
    registry = TopicRegistry.load(folder)

    assert [spec.name for spec in registry.topics] == [
        "area.copies.65.v1", "area.copies.83.v1", "area.copies.north-1.v1", "school.things.v1"]
    copy = registry.get("area.copies.83.v1")
    assert (copy.owner, copy.partitions, copy.retention_ms, copy.family) == ("area", 2, 2592000000, "area.copies.v1")
    assert copy.dlq == "area.copies.83.v1.dlq"
    family = registry.family("area.copies.v1")
    assert (family.parameter, family.values, family.name_for("99")) == ("area", ("65", "83", "north-1"),
                                                                        "area.copies.99.v1")


def test_any_message_means_every_message_a_declared_topic_lists(folder: Path) -> None:
    write(folder, FAMILY, "area.copies.v1.yaml")
    registry = TopicRegistry.load(folder)

    copy = registry.get("area.copies.65.v1")
    assert copy.any_message and copy.messages == ("esis.hr.v1.StaffExited", "esis.identity.v1.AccountCreated")
    assert registry.allowed("area.copies.65.v1", "esis.hr.v1.StaffExited")
    assert not registry.allowed("area.copies.65.v1", "esis.hr.v1.Unlisted")
    assert registry.message_names() == ("esis.hr.v1.StaffExited", "esis.identity.v1.AccountCreated")
    assert not registry.get("school.things.v1").any_message


def test_a_family_with_fixed_messages_keeps_them(folder: Path) -> None:
    write(folder, FAMILY.replace('messages: ["*"]', "messages: [esis.hr.v1.StaffExited]"), "area.copies.v1.yaml")
    copy = TopicRegistry.load(folder).get("area.copies.north-1.v1")
    assert (copy.messages, copy.any_message) == (("esis.hr.v1.StaffExited",), False)


def test_an_unknown_family_is_a_lookup_error_naming_it(folder: Path) -> None:
    with pytest.raises(UnknownTopicError, match="area.copies.v1"):
        TopicRegistry.load(folder).family("area.copies.v1")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (("name: area.copies.{area}.v1", "name: area.{area}.copies.{area}.v1"), "name"),
        (("name: area.copies.{area}.v1", "name: area.copies.v1.{area}"), "name"),
        (("name: area.copies.{area}.v1", "name: area.copies.{Area}.v1"), "name"),
        (("instances:\n  area: [\"65\", \"83\", \"north-1\"]\n", ""), "instances"),
        (('  area: ["65", "83", "north-1"]', '  aimag: ["65", "83", "north-1"]'), "instances"),
        (('  area: ["65", "83", "north-1"]', '  area: ["65"]\n  other: ["1"]'), "instances"),
        (('  area: ["65", "83", "north-1"]', "  area: [65, 83]"), "instances"),
        (('  area: ["65", "83", "north-1"]', '  area: ["65", "North"]'), "instances"),
        (('  area: ["65", "83", "north-1"]', '  area: ["65", "a.b"]'), "instances"),
        (('  area: ["65", "83", "north-1"]', '  area: ["65", "83", "65"]'), "instances"),
        (('  area: ["65", "83", "north-1"]', "  area: []"), "instances"),
        (('instances:\n  area: ["65", "83", "north-1"]', 'instances: ["65", "83"]'), "instances"),
        (('messages: ["*"]', 'messages: ["*", esis.hr.v1.StaffExited]'), "messages"),
        (('messages: ["*"]', "messages: []"), "messages"),
        (("owner: area", "owner: school"), "owner"),
        (("partitions: 2", "partitions: 0"), "partitions"),
        (("cleanup_policy: delete", "cleanup_policy: delete\nregion: x"), "region"),
    ],
)
def test_a_malformed_family_file_is_refused_naming_file_and_field(folder: Path, change: tuple[str, str],
                                                                  field: str) -> None:
    path = write(folder, FAMILY.replace(*change), "area.copies.v1.yaml")
    with pytest.raises(RegistryError) as error:
        TopicRegistry.load(folder)
    assert str(path) in str(error.value)
    assert f"field {field!r}" in str(error.value)


def test_a_number_as_instance_value_says_to_quote_it(folder: Path) -> None:
    write(folder, FAMILY.replace('  area: ["65", "83", "north-1"]', "  area: [65]"), "area.copies.v1.yaml")
    with pytest.raises(RegistryError, match="quote numbers"):
        TopicRegistry.load(folder)


def test_a_family_file_is_named_after_the_name_without_its_placeholder(folder: Path) -> None:
    write(folder, FAMILY, "area.copies.{area}.v1.yaml")
    with pytest.raises(RegistryError, match=r"expected area\.copies\.v1\.yaml"):
        TopicRegistry.load(folder)


def test_instances_on_a_plain_topic_are_refused(folder: Path) -> None:
    path = write(folder, DECLARED.replace("school", "plain") + "instances:\n  area: ['65']\n", "plain.things.v1.yaml")
    with pytest.raises(RegistryError) as error:
        TopicRegistry.load(folder)
    assert str(path) in str(error.value) and "field 'instances'" in str(error.value)
    assert "placeholder" in str(error.value)
