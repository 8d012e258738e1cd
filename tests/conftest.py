"""Fixtures of the template's own tests, and the variants' summaries at the end of a run."""

from __future__ import annotations

import pytest

VARIANT_SUMMARIES = pytest.StashKey[list[tuple[str, str]]]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[VARIANT_SUMMARIES] = []


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Show each booted variant's own pytest summary line."""
    summaries = config.stash.get(VARIANT_SUMMARIES, [])
    if summaries:
        terminalreporter.section("variant test suites")
        for name, summary in summaries:
            terminalreporter.write_line(f"variant {name}: {summary}")
