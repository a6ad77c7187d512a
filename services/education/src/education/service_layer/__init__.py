"""Commands, handlers (each owns its transaction), views and the unit of work."""
