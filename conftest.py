"""Root conftest: the platform's pytest plugins, available to every suite (pytest only honours
``pytest_plugins`` at the top level)."""

pytest_plugins = ["esis_shared.testing.fixtures", "esis_shared.testing.browser"]
