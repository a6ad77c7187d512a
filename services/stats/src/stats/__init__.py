"""stats: aggregates and UNESCO UIS indicators from events, approvals, reports, dashboards and open data."""
