"""Render layer: every named variant renders, leaves no Jinja behind, lints and type-checks."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from tests.harness.compose_check import validate_compose
from tests.harness.project import Project
from tests.harness.render import render
from tests.harness.variants import all_variants

VARIANTS = all_variants()
# Jinja left in the output; `${{ ... }}` is a CI expression (GitHub Actions), not Jinja.
UNRENDERED = re.compile(r"(?<!\$)\{\{|\{%|%\}|\{#")
# What the database not chosen must not leave behind, by the database chosen.
DATABASE_TRACES = {
    "sqlite": re.compile(r"postgres|asyncpg", re.IGNORECASE),
    "postgresql": re.compile(r"sqlite", re.IGNORECASE),
}
REDIS_TRACES = re.compile(r"redis", re.IGNORECASE)
AUDIT_TRACES = re.compile(r"audit", re.IGNORECASE)


def switched_off_traces(project: Project) -> dict[str, re.Pattern[str]]:
    """For each capability the answers switched off, what its traces look like."""
    traces = {"the other database": DATABASE_TRACES[project.database]}
    if not project.uses_redis:
        traces["Redis"] = REDIS_TRACES
    if not project.answers.get("audit_log", True):
        traces["the audit trail"] = AUDIT_TRACES
    return traces


def project_files(root: Path) -> list[Path]:
    skipped = {".venv", ".mypy_cache", ".ruff_cache", ".pytest_cache", "__pycache__"}
    return [
        path
        for path in root.rglob("*")
        if path.is_file() and not skipped & set(path.relative_to(root).parts)
    ]


def unrendered_jinja(root: Path) -> list[str]:
    """Every place in the output where Jinja syntax or a .jinja name survived."""
    found = []
    for path in project_files(root):
        relative = path.relative_to(root)
        if path.suffix == ".jinja" or "{{" in str(relative):
            found.append(f"{relative}: unrendered file name")
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), start=1):
            if UNRENDERED.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


def traces_of(root: Path, pattern: re.Pattern[str]) -> list[str]:
    """Every file name or line in the output that matches ``pattern``."""
    found = []
    for path in project_files(root):
        relative = path.relative_to(root)
        if relative.name == ".copier-answers.yml":
            continue  # the answers file names every choice, including the ones not taken
        if pattern.search(str(relative)):
            found.append(f"{relative}: file name")
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), start=1):
            if pattern.search(line):
                found.append(f"{relative}:{number}: {line.strip()}")
    return found


@pytest.mark.parametrize("name", list(VARIANTS))
def test_variant_renders_lints_and_type_checks(name: str, tmp_path: Path) -> None:
    answers = VARIANTS[name]
    project = Project(render(answers, tmp_path / name))

    assert unrendered_jinja(project.root) == []
    recorded = yaml.safe_load((project.root / ".copier-answers.yml").read_text())
    assert {key: recorded[key] for key in answers} == answers
    assert recorded["_src_path"], "copier update needs the template's source in the answers"
    for capability, pattern in switched_off_traces(project).items():
        leftovers = traces_of(project.root, pattern)
        assert leftovers == [], f"{capability}, switched off, left traces: {leftovers}"
    services = validate_compose(project.root / "compose.yaml")
    assert ("postgres" in services) == (project.database == "postgresql")
    assert ("redis" in services) == project.uses_redis

    project.sync()
    project.run(["uv", "run", "--no-sync", "ruff", "check"])
    project.run(["uv", "run", "--no-sync", "ruff", "format", "--check"])
    project.run(["uv", "run", "--no-sync", "mypy"])
    unit = project.run(
        ["uv", "run", "--no-sync", "pytest", "-q", "-p", "no:cacheprovider", "tests/unit"]
    )
    assert " passed" in unit.stdout, unit.stdout[-2000:]
    assert "skipped" not in unit.stdout, unit.stdout[-2000:]
