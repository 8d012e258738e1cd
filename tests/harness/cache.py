"""Where the harness keeps what it fetches or builds once: Keycloak, the compose checker, state."""

from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """``$HARNESS_CACHE_DIR``, or ``~/.cache/fastapi-ws-rbac``."""
    configured = os.environ.get("HARNESS_CACHE_DIR")
    return Path(configured).absolute() if configured else Path.home() / ".cache" / "fastapi-ws-rbac"
