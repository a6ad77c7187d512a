"""Adapters: SQL tables and repositories, protobuf messages."""
