"""Fixtures of the template's own tests, and the variants' summaries at the end of a run."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from tests.harness.stack import ComposeStack, NativeStack, choose_stack

VARIANT_SUMMARIES = pytest.StashKey[list[tuple[str, str]]]()


def pytest_configure(config: pytest.Config) -> None:
    config.stash[VARIANT_SUMMARIES] = []


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[NativeStack | ComposeStack]:
    """The services of this run, shared by the boot layer and the benchmark's smoke test;
    natively, Keycloak starts at once in the background."""
    chosen = choose_stack(tmp_path_factory.mktemp("stack"))
    if isinstance(chosen, NativeStack):
        # Keycloak takes the longest to start: overlap it with rendering and installing.
        threading.Thread(target=chosen.keycloak, daemon=True).start()
    yield chosen
    chosen.close()


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Show each booted variant's own pytest summary line."""
    summaries = config.stash.get(VARIANT_SUMMARIES, [])
    if summaries:
        terminalreporter.section("variant test suites")
        for name, summary in summaries:
            terminalreporter.write_line(f"variant {name}: {summary}")
