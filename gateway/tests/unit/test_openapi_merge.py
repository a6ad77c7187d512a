import copy

from gateway.domain.openapi import BEARER_SCHEME, component_renames, merge_openapi, rewrite_refs

VALIDATION = {
    "HTTPValidationError": {"type": "object", "properties": {
        "detail": {"type": "array", "items": {"$ref": "#/components/schemas/ValidationError"}}}},
    "ValidationError": {"type": "object", "properties": {"msg": {"type": "string"}}},
}


def _json(schema: str) -> dict:
    return {"content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}}}


def _op(schema: str, **extra: object) -> dict:
    return {"responses": {"200": _json(schema), "422": _json("HTTPValidationError")}, **extra}


def identity_doc() -> dict:
    return {
        "openapi": "3.1.0", "info": {"title": "identity", "version": "1"},
        "paths": {"/api/identity/v1/accounts": {"get": _op("AccountPage", tags=["accounts"])},
                  "/api/identity/v1/auth/login": {"post": _op("TokenPair")}},
        "components": {"schemas": {
            **VALIDATION,
            "Account": {"type": "object", "properties": {"username": {"type": "string"}}},
            "AccountPage": {"type": "object", "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Account"}}}},
            "TokenPair": {"type": "object"},
        }},
        "tags": [{"name": "accounts", "description": "Accounts"}],
    }


def education_doc() -> dict:
    return {
        "openapi": "3.1.0", "info": {"title": "education", "version": "1"},
        "paths": {"/api/education/v1/accounts": {"get": _op("AccountPage")}},
        "components": {"schemas": {
            **VALIDATION,
            "Account": {"type": "object", "properties": {"iban": {"type": "string"}}},
            # Same text as identity's AccountPage, but it means education's Account.
            "AccountPage": {"type": "object", "properties": {
                "items": {"type": "array", "items": {"$ref": "#/components/schemas/Account"}}}},
        }},
    }


def merged() -> dict:
    return merge_openapi({"identity": identity_doc(), "education": education_doc()}, title="open ESIS API",
                         version="1", public_prefixes=["/api/identity/v1/auth"])


def test_paths_of_every_service_are_merged() -> None:
    assert set(merged()["paths"]) == {"/api/identity/v1/accounts", "/api/identity/v1/auth/login",
                                      "/api/education/v1/accounts"}


def test_colliding_schema_names_are_prefixed_with_the_service_in_every_service() -> None:
    schemas = merged()["components"]["schemas"]
    assert "Account" not in schemas
    assert schemas["identity_Account"]["properties"] == {"username": {"type": "string"}}
    assert schemas["education_Account"]["properties"] == {"iban": {"type": "string"}}


def test_refs_follow_the_renamed_schemas() -> None:
    doc = merged()
    schemas = doc["components"]["schemas"]
    assert schemas["identity_AccountPage"]["properties"]["items"]["items"] == {
        "$ref": "#/components/schemas/identity_Account"}
    get = doc["paths"]["/api/education/v1/accounts"]["get"]
    assert get["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/education_AccountPage"}


def test_a_schema_that_differs_only_through_a_renamed_ref_is_renamed_too() -> None:
    renames = component_renames({"identity": identity_doc(), "education": education_doc()})
    assert renames["identity"][("schemas", "AccountPage")] == "identity_AccountPage"
    assert renames["education"][("schemas", "AccountPage")] == "education_AccountPage"


def test_identical_schemas_stay_shared_under_their_own_name() -> None:
    schemas = merged()["components"]["schemas"]
    assert "HTTPValidationError" in schemas and "ValidationError" in schemas
    assert "identity_HTTPValidationError" not in schemas
    assert "TokenPair" in schemas


def test_every_ref_in_the_merged_document_resolves() -> None:
    doc = merged()
    refs: list[str] = []

    def collect(node: object) -> None:
        if isinstance(node, dict):
            refs.extend(v for k, v in node.items() if k == "$ref")
            for value in node.values():
                collect(value)
        elif isinstance(node, list):
            for item in node:
                collect(item)

    collect(doc)
    for ref in refs:
        kind, name = ref.removeprefix("#/components/").split("/")
        assert name in doc["components"][kind], ref


def test_merge_does_not_change_the_services_documents() -> None:
    identity = identity_doc()
    before = copy.deepcopy(identity)
    merge_openapi({"identity": identity, "education": education_doc()}, title="t", version="1")
    assert identity == before


def test_bearer_scheme_applies_except_on_public_paths() -> None:
    doc = merged()
    assert doc["components"]["securitySchemes"][BEARER_SCHEME]["scheme"] == "bearer"
    assert doc["security"] == [{BEARER_SCHEME: []}]
    assert doc["paths"]["/api/identity/v1/auth/login"]["post"]["security"] == []
    assert "security" not in doc["paths"]["/api/identity/v1/accounts"]["get"]


def test_operations_without_tags_are_grouped_by_service_and_tags_are_kept() -> None:
    doc = merged()
    assert doc["paths"]["/api/education/v1/accounts"]["get"]["tags"] == ["education"]
    assert doc["paths"]["/api/identity/v1/accounts"]["get"]["tags"] == ["accounts"]
    assert {"name": "accounts", "description": "Accounts"} in doc["tags"]


def test_unavailable_services_are_named() -> None:
    doc = merge_openapi({"identity": identity_doc()}, title="t", version="1", unavailable=["education"])
    assert doc["x-esis-unavailable"] == ["education"]
    assert "education" in doc["info"]["description"]


def test_discriminator_mappings_and_security_requirements_are_rewritten() -> None:
    renames = {("schemas", "Cat"): "pets_Cat", ("securitySchemes", "key"): "pets_key"}
    node = {"discriminator": {"mapping": {"cat": "#/components/schemas/Cat"}},
            "security": [{"key": []}], "other": {"$ref": "#/components/schemas/Dog"}}
    rewrite_refs(node, renames)
    assert node == {"discriminator": {"mapping": {"cat": "#/components/schemas/pets_Cat"}},
                    "security": [{"pets_key": []}], "other": {"$ref": "#/components/schemas/Dog"}}
