"""feeds: per-aimag event feeds — Kafka topics feeds.aimag.<code>.v1 and an HTTP change feed with replay."""
