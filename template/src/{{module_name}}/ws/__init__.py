"""The WebSocket package protocol: one endpoint, frames routed by pkg_id to handlers."""
