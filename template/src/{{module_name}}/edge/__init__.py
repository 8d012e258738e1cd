"""The edge: what every request and socket passes before a route sees it.

Pure ASGI middleware (admission, security headers, body and frame limits) and the uvicorn
settings and WebSocket protocol the service is served with.
"""
