"""Command handlers, one module per area; each owns its transaction."""
