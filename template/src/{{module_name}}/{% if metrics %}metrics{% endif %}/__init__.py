"""Prometheus metrics: the families, the HTTP middleware that counts every response, and the
``GET /metrics`` route (see ``install``)."""
