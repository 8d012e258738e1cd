"""Operational paths: health, metrics and docs, which no middleware limits or records."""

from __future__ import annotations

OPERATIONAL_PATHS = ("/health", "/metrics", "/docs", "/redoc", "/openapi.json")


def is_operational(path: str) -> bool:
    """Whether a path is an operational one (itself or anything below it)."""
    return any(path == prefix or path.startswith(f"{prefix}/") for prefix in OPERATIONAL_PATHS)
