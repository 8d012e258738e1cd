"""Servers with small limits, for the rate-limit tests."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.e2e.conftest import uvicorn_server

HTTP_LIMIT = 10
WS_LIMIT = 5
ABUSE_THRESHOLD = 3
CONNECTION_LIMIT = 3


def limited_env(base: dict[str, str], *, fail_mode: str, prefix: str) -> dict[str, str]:
    """Small limits, a short check timeout and a short readiness deadline."""
    return {
        **base,
        "RATE_LIMIT_KEY_PREFIX": prefix,
        "RATE_LIMIT_HTTP_LIMIT": str(HTTP_LIMIT),
        "RATE_LIMIT_HTTP_WINDOW": "60",
        "RATE_LIMIT_WS_LIMIT": str(WS_LIMIT),
        "RATE_LIMIT_WS_WINDOW": "60",
        "RATE_LIMIT_WS_ABUSE_THRESHOLD": str(ABUSE_THRESHOLD),
        "RATE_LIMIT_CONNECTION_LIMIT": str(CONNECTION_LIMIT),
        "RATE_LIMIT_FAIL_MODE": fail_mode,
        "RATE_LIMIT_TIMEOUT": "0.3",
        "APP_READINESS_TIMEOUT": "0.5",
    }


def start_limited(
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
    *,
    fail_mode: str,
    name: str,
) -> Iterator[str]:
    """Start a server with small limits and the given fail mode, counting under its own prefix."""
    base: dict[str, str] = request.getfixturevalue("service_env")
    prefix = f"{request.getfixturevalue('rate_limit_prefix')}-{name}"
    log_path = tmp_path_factory.mktemp(f"uvicorn-{name}") / "uvicorn.log"
    with uvicorn_server(limited_env(base, fail_mode=fail_mode, prefix=prefix), log_path) as url:
        yield url


def bearer(token: str) -> dict[str, str]:
    """The Authorization header of a token."""
    return {"Authorization": f"Bearer {token}"}
