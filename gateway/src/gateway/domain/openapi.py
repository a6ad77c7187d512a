"""Merge the services' OpenAPI documents into one: paths side by side, components renamed on collision.

A component name that two services define differently becomes ``<service>_<Name>`` in every service that
defines it (so the result does not depend on the order of services), and every ``$ref`` is rewritten to
match. Identical definitions (FastAPI's ``HTTPValidationError`` in every service) stay shared.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterable, Mapping
from typing import Any

from gateway.domain.routes import path_matches

BEARER_SCHEME = "bearerAuth"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
REF_PREFIX = "#/components/"
Doc = dict[str, Any]
Key = tuple[str, str]  # (component kind, name), e.g. ("schemas", "Account")


def merge_openapi(docs: Mapping[str, Doc], *, title: str, version: str, description: str = "",
                  public_prefixes: Iterable[str] = (), unavailable: Iterable[str] = ()) -> Doc:
    """One OpenAPI 3.1 document for every service in ``docs`` (service name -> its document)."""
    renames = component_renames(docs)
    merged = _skeleton(title, version, description, sorted(unavailable))
    for service in sorted(docs):
        doc = rewrite_refs(copy.deepcopy(docs[service]), renames[service])
        _merge_components(merged, doc, renames[service])
        _merge_paths(merged, service, doc, tuple(public_prefixes))
        _merge_tags(merged, doc)
    return merged


def component_renames(docs: Mapping[str, Doc]) -> dict[str, dict[Key, str]]:
    """Per service, the component keys that must be prefixed; iterated until renaming causes no new clash."""
    clashing: set[Key] = set()
    while True:
        renames = {svc: _prefixed(svc, doc, clashing) for svc, doc in docs.items()}
        new = _clashes(docs, renames) - clashing
        if not new:
            return renames
        clashing |= new


def rewrite_refs(node: Any, renames: Mapping[Key, str]) -> Any:
    """Rewrite ``$ref``s, discriminator mappings and security requirement names in place; returns node."""
    if not renames:
        return node
    if isinstance(node, list):
        for item in node:
            rewrite_refs(item, renames)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref" and isinstance(value, str):
                node[key] = _renamed_ref(value, renames)
            elif key == "mapping" and isinstance(value, dict):
                node[key] = {k: _renamed_ref(v, renames) if isinstance(v, str) else v for k, v in value.items()}
            elif key == "security" and isinstance(value, list):
                node[key] = [_renamed_requirement(req, renames) for req in value]
            else:
                rewrite_refs(value, renames)
    return node


def _skeleton(title: str, version: str, description: str, unavailable: list[str]) -> Doc:
    if unavailable:
        description = f"{description}\n\nNot available right now: {', '.join(unavailable)}.".strip()
    return {
        "openapi": "3.1.0",
        "info": {"title": title, "version": version, "description": description},
        "paths": {},
        "components": {"securitySchemes": {BEARER_SCHEME: {"type": "http", "scheme": "bearer",
                                                            "bearerFormat": "JWT"}}},
        "security": [{BEARER_SCHEME: []}],
        "tags": [],
        "x-esis-unavailable": unavailable,
    }


def _prefixed(service: str, doc: Doc, clashing: set[Key]) -> dict[Key, str]:
    return {key: f"{service}_{key[1]}" for key in _component_keys(doc) if key in clashing}


def _component_keys(doc: Doc) -> list[Key]:
    components = doc.get("components") or {}
    return [(kind, name) for kind, group in components.items() if isinstance(group, dict) for name in group]


def _clashes(docs: Mapping[str, Doc], renames: Mapping[str, dict[Key, str]]) -> set[Key]:
    seen: dict[Key, set[str]] = {}
    for service, doc in docs.items():
        components = rewrite_refs(copy.deepcopy(doc.get("components") or {}), renames[service])
        for kind, name in _component_keys(doc):
            if (kind, name) not in renames[service]:
                seen.setdefault((kind, name), set()).add(json.dumps(components[kind][name], sort_keys=True))
    return {key for key, definitions in seen.items() if len(definitions) > 1}


def _renamed_ref(ref: str, renames: Mapping[Key, str]) -> str:
    if not ref.startswith(REF_PREFIX):
        return ref
    kind, _, escaped = ref[len(REF_PREFIX):].partition("/")
    new = renames.get((kind, _unescape(escaped)))
    return f"{REF_PREFIX}{kind}/{_escape(new)}" if new else ref


def _renamed_requirement(requirement: Any, renames: Mapping[Key, str]) -> Any:
    if not isinstance(requirement, dict):
        return requirement
    return {renames.get(("securitySchemes", name), name): scopes for name, scopes in requirement.items()}


def _unescape(name: str) -> str:
    return name.replace("~1", "/").replace("~0", "~")


def _escape(name: str) -> str:
    return name.replace("~", "~0").replace("/", "~1")


def _merge_components(merged: Doc, doc: Doc, renames: Mapping[Key, str]) -> None:
    for kind, group in (doc.get("components") or {}).items():
        if not isinstance(group, dict):
            continue
        target = merged["components"].setdefault(kind, {})
        for name, definition in group.items():
            target.setdefault(renames.get((kind, name), name), definition)


def _merge_paths(merged: Doc, service: str, doc: Doc, public_prefixes: tuple[str, ...]) -> None:
    default_security = doc.get("security")
    for path, item in (doc.get("paths") or {}).items():
        if path in merged["paths"]:
            merged.setdefault("x-esis-conflicts", []).append({"path": path, "service": service})
            continue
        public = any(path_matches(path, prefix) for prefix in public_prefixes)
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                _adjust_operation(item[method], service, default_security, public)
        merged["paths"][path] = item


def _adjust_operation(operation: Doc, service: str, default_security: Any, public: bool) -> None:
    operation.setdefault("tags", [service])
    if public:
        operation["security"] = []
    elif "security" not in operation and default_security is not None:
        operation["security"] = default_security


def _merge_tags(merged: Doc, doc: Doc) -> None:
    names = {tag["name"] for tag in merged["tags"]}
    for tag in doc.get("tags") or []:
        if isinstance(tag, dict) and tag.get("name") not in names:
            merged["tags"].append(tag)
            names.add(tag.get("name"))
