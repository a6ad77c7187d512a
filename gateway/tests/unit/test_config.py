import pytest
from gateway.bootstrap import InsecureConfiguration, build_gateway
from gateway.config import Settings

PROD_URLS = {"identity": "http://identity:8001", "education": "http://education:8002"}


def production(**overrides: object) -> Settings:
    values: dict[str, object] = {"profile": "production", "service_urls": PROD_URLS,
                                 "jwks_url": "http://identity:8001/api/identity/v1/jwks", **overrides}
    return Settings(**values)


def test_defaults_follow_the_conventions() -> None:
    settings = Settings()
    assert settings.http_port == 8000
    assert settings.service_urls == {"identity": "http://127.0.0.1:8001"}
    assert settings.production_problems() == []


def test_service_urls_are_read_as_json_from_the_gateway_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("GATEWAY_SERVICE_URLS", '{"identity": "http://id:1", "stats": "http://stats:2"}')
    monkeypatch.setenv("GATEWAY_RATE_LIMIT_PER_SECOND", "5")
    settings = Settings()
    assert settings.service_urls == {"identity": "http://id:1", "stats": "http://stats:2"}
    assert settings.rate_limit_per_second == 5


def test_a_proper_production_configuration_starts() -> None:
    assert production().production_problems() == []


@pytest.mark.parametrize(("overrides", "complaint"), [
    ({"jwks_url": ""}, "GATEWAY_JWKS_URL is not set"),
    ({"jwks_url": "http://127.0.0.1:8001/api/identity/v1/jwks"}, "GATEWAY_JWKS_URL is a development address"),
    ({"jwks_url": "file:///etc/jwks.json"}, "must be an http(s) URL"),
    ({"jwt_audience": ""}, "GATEWAY_JWT_AUDIENCE must be set"),
    ({"service_urls": {"identity": "http://localhost:8001"}}, "development address"),
    ({"rate_limit_per_second": 0}, "rate limiting is disabled"),
    ({"tracing_exporter": "memory"}, "for tests"),
])
def test_production_refuses_development_settings(overrides: dict, complaint: str) -> None:
    problems = production(**overrides).production_problems()
    assert any(complaint in problem for problem in problems), problems


def test_building_the_gateway_in_production_with_defaults_refuses_to_start() -> None:
    with pytest.raises(InsecureConfiguration, match="GATEWAY_JWKS_URL is a development address"):
        build_gateway(Settings(profile="production"))
