pytest_plugins = ["esis_shared.testing.fixtures"]
