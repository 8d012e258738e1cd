"""Business logic shared by the HTTP and WebSocket handlers, one package per entity."""
