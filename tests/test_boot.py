"""Boot layer: deep variants booted on real services, their own suites run with nothing skipped."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
import pytest

from tests.conftest import VARIANT_SUMMARIES
from tests.harness.ports import free_port
from tests.harness.project import Project
from tests.harness.render import render
from tests.harness.stack import ComposeStack, NativeStack
from tests.harness.variants import DEEP_VARIANTS

pytestmark = pytest.mark.boot

SUMMARY = re.compile(r"^=*\s*(\d+ (passed|failed|error|errors)\b.*?)\s*=*$")


def pytest_summary(output: str) -> str:
    """The closing summary line of a pytest run, without its decoration."""
    for line in reversed(output.splitlines()):
        match = SUMMARY.match(line.strip())
        if match:
            return match.group(1)
    return "(no pytest summary line found)"


def live(port: int) -> bool:
    return httpx.get(f"http://127.0.0.1:{port}/health/live", timeout=2).status_code == 200


@pytest.mark.parametrize("name", list(DEEP_VARIANTS))
def test_variant_boots_and_passes_its_own_suite(
    name: str, stack: NativeStack | ComposeStack, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    project = Project(render(DEEP_VARIANTS[name], tmp_path / name))
    project.sync(compile_bytecode=True)
    env = stack.provision(project, tag=name)
    if project.has_migrations():
        project.migrate(env)

    port = free_port()
    server = project.server(env, tmp_path / "uvicorn.log", port=port)
    server.start()
    try:
        server.wait_ready(lambda: live(port), timeout=60)
        ready = httpx.get(f"http://127.0.0.1:{port}/health/ready", timeout=10)
        assert ready.status_code == 200, f"/health/ready answered {ready.status_code}: {ready.text}"
    finally:
        server.stop()

    result = project.run(
        # -rfE: the failures' and errors' details end the output, which the message keeps.
        ["uv", "run", "--no-sync", "pytest", "-p", "no:cacheprovider", "-rfE"],
        env={**env, "REQUIRE_SERVICES": "1"},
        check=False,
    )
    output = result.stdout + result.stderr
    summary = pytest_summary(output)
    request.config.stash[VARIANT_SUMMARIES].append((name, summary))
    assert result.returncode == 0, f"{name}'s own suite failed: {summary}\n{output[-8000:]}"
    assert "skipped" not in summary, f"{name}'s suite skipped tests: {summary}"
    assert re.search(r"\d+ passed", summary), summary
