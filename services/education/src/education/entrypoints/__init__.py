"""Entry points: HTTP API, gRPC server, process main."""
