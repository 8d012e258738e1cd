"""WebSocket handlers, one module per area, each with its own PackageRouter."""
