"""Fixtures shared by every test layer."""

from __future__ import annotations

import pytest

# The real services (from the same variables the service reads), for integration and e2e tests.
pytest_plugins = ["tests.services"]


@pytest.fixture
def anyio_backend() -> str:
    """Run async tests on asyncio, the loop uvicorn uses."""
    return "asyncio"
