"""The audit trail: who did what, when and with what outcome, over HTTP and WebSocket."""
