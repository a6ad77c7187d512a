"""Command handlers, one module per area; each handler opens, commits and closes its own transaction."""
