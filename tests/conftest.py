"""Fixtures of the template's own tests, and the variants' summaries at the end of a run."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

from tests.harness.project import Project
from tests.harness.render import render
from tests.harness.stack import ComposeStack, NativeStack, choose_stack
from tests.harness.variants import all_variants

VARIANT_SUMMARIES = pytest.StashKey[list[tuple[str, str]]]()
# The test parameters and parametrized fixtures that hold a variant's name.
VARIANT_PARAMETERS = ("name", "project", "observed")


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--variant",
        action="append",
        default=[],
        metavar="NAME",
        help="run the variant-parametrized tests of this named variant only (repeatable); "
        "tests that take no variant run as usual",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.stash[VARIANT_SUMMARIES] = []
    unknown = sorted(set(config.getoption("variant")) - set(all_variants()))
    if unknown:
        raise pytest.UsageError(
            f"unknown variant {', '.join(unknown)}; known: {', '.join(all_variants())}"
        )


def variant_of(item: pytest.Item) -> str | None:
    """The name of the variant a test item runs on, or None when it takes no variant."""
    params = getattr(item, "callspec", None)
    if params is None:
        return None
    for key in VARIANT_PARAMETERS:
        value = params.params.get(key)
        if isinstance(value, str) and value in all_variants():
            return value
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """With ``--variant``, deselect the variant-parametrized tests of every other variant."""
    selected = set(config.getoption("variant"))
    if not selected:
        return
    kept, dropped = [], []
    for item in items:
        name = variant_of(item)
        (dropped if name is not None and name not in selected else kept).append(item)
    if dropped:
        config.hook.pytest_deselected(items=dropped)
        items[:] = kept


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


RenderedVariant = Callable[[str], Project]


@pytest.fixture(scope="session")
def rendered_variant(tmp_path_factory: pytest.TempPathFactory) -> RenderedVariant:
    """Render a named variant once per run, for tests that only read the output."""
    renders: dict[str, Project] = {}

    def rendered(name: str) -> Project:
        if name not in renders:
            root = tmp_path_factory.mktemp("rendered") / name
            renders[name] = Project(render(all_variants()[name], root))
        return renders[name]

    return rendered


def pytest_terminal_summary(
    terminalreporter: pytest.TerminalReporter, config: pytest.Config
) -> None:
    """Show each booted variant's own pytest summary line."""
    summaries = config.stash.get(VARIANT_SUMMARIES, [])
    if summaries:
        terminalreporter.section("variant test suites")
        for name, summary in summaries:
            terminalreporter.write_line(f"variant {name}: {summary}")
