"""Render layer: the CI files of every variant, and the template's own workflow, pass their linters.

actionlint and zizmor (offline audits) on the GitHub Actions workflows, hadolint on the rendered
Dockerfile, ``pre-commit validate-config`` (and zizmor) on the rendered pre-commit config. The
capability traces in these files are checked with every other rendered file in test_render.py.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import pytest
import yaml

from tests.conftest import RenderedVariant
from tests.harness.cilint import (
    run_actionlint,
    run_hadolint,
    run_zizmor,
    validate_pre_commit_config,
)
from tests.harness.project import Project
from tests.harness.variants import TEMPLATE_ROOT, all_variants

WORKFLOW = Path(".github/workflows/ci.yml")
PRE_COMMIT_CONFIG = Path(".pre-commit-config.yaml")
# `uses: owner/repo@<40 hex digits> # vX.Y.Z`: a full commit, and the release it is.
PINNED_USES = re.compile(r"^\s*(?:- )?uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")


@pytest.fixture(params=list(all_variants()))
def project(request: pytest.FixtureRequest, rendered_variant: RenderedVariant) -> Project:
    name: str = request.param
    return rendered_variant(name)


def unpinned_uses(workflow: Path) -> list[str]:
    """Every `uses:` line not pinned to a full commit with its version in a comment."""
    return [
        line.strip()
        for line in workflow.read_text().splitlines()
        if re.match(r"^\s*(?:- )?uses:", line) and not PINNED_USES.match(line)
    ]


def test_the_rendered_workflow_passes_actionlint_and_zizmor(project: Project) -> None:
    run_actionlint(project.root, WORKFLOW)
    run_zizmor(project.root, WORKFLOW, PRE_COMMIT_CONFIG)
    assert unpinned_uses(project.root / WORKFLOW) == []


def test_the_rendered_workflow_tests_every_layer_against_the_services(project: Project) -> None:
    jobs = yaml.safe_load((project.root / WORKFLOW).read_text())["jobs"]
    assert set(jobs) == {"lint", "unit", "integration"}
    integration = jobs["integration"]
    assert integration["env"]["REQUIRE_SERVICES"] == "1"
    services = set(integration.get("services", {}))
    expected = {"postgres"} if project.database == "postgresql" else set()
    assert services == expected | ({"redis"} if project.uses_redis else set())
    assert integration["env"]["KEYCLOAK_REALM"] == project.realm["realm"]
    runs = " ".join(step.get("run", "") for step in integration["steps"])
    assert "docker compose up --detach --wait" in runs
    assert "pytest tests/integration tests/e2e" in runs


def test_the_rendered_dockerfile_passes_hadolint(project: Project) -> None:
    run_hadolint(project.root, Path("Dockerfile"))


def test_the_rendered_pre_commit_config_is_valid_and_runs_the_projects_ruff(
    project: Project,
) -> None:
    validate_pre_commit_config(project.root, PRE_COMMIT_CONFIG)
    config = yaml.safe_load((project.root / PRE_COMMIT_CONFIG).read_text())
    revs = {repo["repo"]: repo.get("rev") for repo in config["repos"]}
    dev = tomllib.loads((project.root / "pyproject.toml").read_text())["dependency-groups"]["dev"]
    (ruff,) = (requirement for requirement in dev if requirement.startswith("ruff"))
    lowest = re.search(r">=([\d.]+)", ruff)
    assert lowest, ruff
    assert revs["https://github.com/astral-sh/ruff-pre-commit"] == f"v{lowest.group(1)}"


def test_the_templates_workflow_passes_actionlint_and_zizmor() -> None:
    run_actionlint(TEMPLATE_ROOT, WORKFLOW)
    run_zizmor(TEMPLATE_ROOT, WORKFLOW)
    assert unpinned_uses(TEMPLATE_ROOT / WORKFLOW) == []
