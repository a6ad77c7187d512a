"""Queries: what pages and the API show. Each opens a unit of work and never commits."""
