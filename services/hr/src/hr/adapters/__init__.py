"""Adapters: SQL tables and repositories, event mapping, clients of other services."""
