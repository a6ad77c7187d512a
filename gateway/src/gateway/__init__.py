"""open ESIS API gateway: routing, token checks, coarse role rules, rate limits, health and merged OpenAPI."""
