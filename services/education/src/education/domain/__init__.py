"""Entities, value objects, events and rules; pure Python, no I/O."""
