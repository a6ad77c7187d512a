"""Turn domain value objects into JSON-able data and back, guided by their type hints.

Used for value-object collections stored in JSON columns (terms, lessons, guardian links …), so the tables keep
one row per aggregate and the domain classes stay free of persistence code.
"""

from __future__ import annotations

import dataclasses
import enum
import functools
import types
import typing
from datetime import date, datetime
from typing import Any


def encode(value: Any) -> Any:
    kind = type(value)
    if value is None or kind in (str, int, bool, float):
        return value
    if isinstance(value, enum.Enum):  # before the dataclass check: an enum member's attribute lookup is slow
        return value.value
    names = _field_names(kind)
    if names is not None:
        return {name: encode(getattr(value, name)) for name in names}
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): encode(v) for k, v in value.items()}
    return value


@functools.cache
def _field_names(kind: type) -> tuple[str, ...] | None:
    """A dataclass's stored fields (not its recorded events), or None for any other type."""
    if not dataclasses.is_dataclass(kind):
        return None
    return tuple(f.name for f in dataclasses.fields(kind) if f.name not in ("events", "changed"))


def decode(hint: Any, value: Any) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return decode(next(a for a in typing.get_args(hint) if a is not type(None)), value)
    if origin in (list, tuple):
        (item,) = typing.get_args(hint)[:1]
        decoded = [decode(item, v) for v in value]
        return decoded if origin is list else tuple(decoded)
    if origin is dict:
        _, item = typing.get_args(hint)
        return {k: decode(item, v) for k, v in value.items()}
    return _decode_plain(hint, value)


def _decode_plain(hint: Any, value: Any) -> Any:
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        hints = hints_of(hint)
        return hint(**{k: decode(hints[k], v) for k, v in value.items() if k in hints})
    if isinstance(hint, type) and issubclass(hint, enum.Enum):
        return hint(value)
    if hint is datetime:
        return value if isinstance(value, datetime) else datetime.fromisoformat(value)
    if hint is date:
        return value if isinstance(value, date) else date.fromisoformat(value)
    return value


@functools.cache
def hints_of(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)
