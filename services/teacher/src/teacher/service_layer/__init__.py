"""Commands, handlers (each owns its transaction), queries and the unit of work."""
