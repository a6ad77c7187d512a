"""The JSON API under /api/education/v1 (one router per resource)."""
