"""Test support: a pytest plugin with real servers for integration tests.

Enable it in a ``conftest.py`` with ``pytest_plugins = ["esis_shared.testing.fixtures"]``.
"""
