"""Commands, their handlers (each owns its transaction), the unit of work and read-side views."""
