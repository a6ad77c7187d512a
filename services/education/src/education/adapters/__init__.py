"""Adapters: SQL tables and repositories, the in-memory unit of work, clients of other services."""
