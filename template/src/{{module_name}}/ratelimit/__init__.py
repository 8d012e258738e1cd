"""Rate limits (HTTP requests, WebSocket messages) and the connection limit per user."""
