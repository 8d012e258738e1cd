"""The rendered project's package scaffolder (``python -m <module>.scaffold package``).

``scaffold_two_packages`` scaffolds two packages into an installed variant (one with roles, one
with a field of every type); the render layer's toolchain test calls it on VARIANTS before the
project's own checks (ruff, ruff format, mypy --strict, its unit tests, the new packages' tests
among them). A refused name or id leaves the project's git working tree clean.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest
from jinja2 import Environment, StrictUndefined

from tests.harness.project import Project
from tests.harness.variants import TEMPLATE_ROOT

VARIANTS = ["longest-names", "sqlite-minimal"]  # default capabilities with the longest names; none
PACKAGE_DIR = TEMPLATE_ROOT / "template" / "src" / "{{module_name}}"
REFUSED = 2


@pytest.mark.parametrize(
    ("rendered_once", "fallback"),
    [
        ("custom/roles.py.jinja", "roles.py.j2"),
        ("custom/handlers/__init__.py.jinja", "handlers_init.py.j2"),
    ],
)
def test_the_scaffolders_fallbacks_equal_the_files_the_template_renders(
    rendered_once: str, fallback: str
) -> None:
    # The scaffolder writes these itself into a project that lacks them; they must not drift.
    env = Environment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)  # noqa: S701
    template = (PACKAGE_DIR / rendered_once).read_text()
    ours = (PACKAGE_DIR / "scaffold" / "templates" / fallback).read_text()
    module = "some_service"
    assert env.from_string(ours).render(module=module) == env.from_string(template).render(
        module_name=module
    )


def git(root: Path, *arguments: str) -> str:
    return subprocess.run(
        ["git", *arguments], cwd=root, capture_output=True, text=True, check=True
    ).stdout


def scaffold(project: Project, *arguments: str) -> subprocess.CompletedProcess[str]:
    command = ["uv", "run", "--no-sync", "python", "-m", f"{project.module}.scaffold", "package"]
    return project.run([*command, *arguments], check=False)


def scaffold_two_packages(project: Project) -> None:
    """Into an installed project: one package with roles (one of them new), one with a field of
    every type; taken names and ids refused, writing nothing. The render layer's toolchain test
    calls it on the VARIANTS before their checks, which then cover the new packages' code and
    tests (so a variant is installed and checked once)."""
    git(project.root, "init", "--quiet")
    git(project.root, "add", "--all")
    git(project.root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "r")

    report = scaffold(project, "get_report", "--roles", "read-reports,get-authors")
    assert report.returncode == 0, report.stderr
    assert "pkg_id 1000" in report.stdout
    fields = "title:str:1..80,note:str,count:int:0..100,level:int,ratio:float:-1..1.5,on:bool"
    tally = scaffold(project, "tally", "--schema", fields, "--id", "1234")
    assert tally.returncode == 0, tally.stderr
    realm = json.loads((project.root / "keycloak" / "realm.json").read_text())
    assert "read-reports" in {role["name"] for role in realm["roles"]["realm"]}
    alice = next(user for user in realm["users"] if user["username"] == "alice")
    assert "read-reports" in alice["realmRoles"]

    git(project.root, "add", "--all")
    git(project.root, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "s")
    for refused in (["tally"], ["get_authors"], ["other", "--id", "1234"], ["other", "--id", "6"]):
        result = scaffold(project, *refused)
        assert result.returncode == REFUSED, result.stdout + result.stderr
        assert result.stderr.startswith("refused: ")
        assert result.stderr.count("\n") == 1
    assert git(project.root, "status", "--porcelain") == ""
    for test in ("test_pkg_get_report.py", "test_pkg_tally.py"):
        assert (project.root / "tests" / "unit" / test).is_file(), test
