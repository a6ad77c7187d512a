import pytest
from gateway.domain.errors import BadPath, UnknownService
from gateway.domain.routes import RouteTable, Target, path_matches

SERVICES = ["identity", "education"]


@pytest.fixture
def table() -> RouteTable:
    return RouteTable(SERVICES)


def test_api_path_goes_to_the_service_named_after_api(table: RouteTable) -> None:
    assert table.resolve("/api/education/v1/classes/7") == Target("education", "api", "/api/education/v1/classes/7")


def test_web_page_and_static_paths_go_to_the_service_named_first(table: RouteTable) -> None:
    assert table.resolve("/identity/login") == Target("identity", "page", "/identity/login")
    assert table.resolve("/education/static/app.css").service == "education"
    assert table.resolve("/identity").kind == "page"


def test_unknown_service_is_not_found(table: RouteTable) -> None:
    with pytest.raises(UnknownService) as raised:
        table.resolve("/api/finance/v1/budgets")
    assert raised.value.status_code == 404
    assert raised.value.details == {"service": "finance"}


@pytest.mark.parametrize("path", ["/", "/api", "/api/", "/nothing/here"])
def test_paths_without_a_service_are_not_found(table: RouteTable, path: str) -> None:
    with pytest.raises(UnknownService):
        table.resolve(path)


@pytest.mark.parametrize("path", ["/api/identity/v1/auth/../accounts", "/identity/./login"])
def test_dot_segments_are_refused_so_prefix_rules_cannot_be_sidestepped(table: RouteTable, path: str) -> None:
    with pytest.raises(BadPath):
        table.resolve(path)


def test_well_known_jwks_is_an_alias_of_identity_jwks(table: RouteTable) -> None:
    assert table.resolve("/.well-known/jwks.json") == Target("identity", "api", "/api/identity/v1/jwks")


def test_login_and_jwks_need_no_token_but_other_api_paths_do(table: RouteTable) -> None:
    for path in ("/api/identity/v1/auth/login", "/api/identity/v1/jwks", "/.well-known/jwks.json"):
        assert not table.needs_token(table.resolve(path), path)
    me = "/api/identity/v1/me"
    assert table.needs_token(table.resolve(me), me)


def test_web_pages_need_no_gateway_token(table: RouteTable) -> None:
    assert not table.needs_token(table.resolve("/identity/account"), "/identity/account")


def test_public_prefixes_are_data(table: RouteTable) -> None:
    open_data = RouteTable(["stats"], public_prefixes=["/api/stats/v1/open"])
    path = "/api/stats/v1/open/indicators"
    assert not open_data.needs_token(open_data.resolve(path), path)


def test_prefix_match_respects_segment_boundaries() -> None:
    assert path_matches("/api/identity/v1/auth/login", "/api/identity/v1/auth")
    assert path_matches("/api/identity/v1/auth", "/api/identity/v1/auth/")
    assert not path_matches("/api/identity/v1/authority", "/api/identity/v1/auth")


@pytest.mark.parametrize("name", ["api", "docs", "healthz", "Bad Name"])
def test_service_names_that_would_shadow_gateway_paths_are_refused(name: str) -> None:
    with pytest.raises(ValueError):
        RouteTable([name])


@pytest.mark.parametrize("path", ["/api/identity/v1/signup", "/api/identity/v1/signup/verify",
                                  "/api/identity/v1/signup/resend"])
def test_guardian_sign_up_needs_no_token(path: str) -> None:
    table = RouteTable(["identity"])
    assert not table.needs_token(table.resolve(path), path)
    me = "/api/identity/v1/me"
    assert table.needs_token(table.resolve(me), me)
