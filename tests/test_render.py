"""Render layer: every named variant renders cleanly, then lints, type-checks and unit-tests.

``test_variant_renders_cleanly`` is fast (a render and static checks); the toolchain test installs
each variant and runs its tools (about a minute each): deselect it with ``-m "not toolchain"``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import RenderedVariant
from tests.harness.capabilities import CAPABILITIES, expected_files
from tests.harness.compose_check import validate_compose
from tests.harness.project import Project
from tests.harness.render import render
from tests.harness.variants import all_variants
from tests.test_asyncapi import VARIANTS as ASYNCAPI_VARIANTS
from tests.test_asyncapi import assert_writes_a_valid_asyncapi_3_document
from tests.test_scaffold import VARIANTS as SCAFFOLDED
from tests.test_scaffold import scaffold_two_packages

VARIANTS = all_variants()
# Jinja left in the output; `${{ ... }}` is a CI expression (GitHub Actions), not Jinja.
UNRENDERED = re.compile(r"(?<!\$)\{\{|\{%|%\}|\{#")
# The package scaffolder's templates (src/<module>/scaffold/templates/*.j2) are Jinja on purpose.
SCAFFOLD_TEMPLATES_SUFFIX = ".j2"
# Characters Windows refuses in a file name (as in test_template_source.py), and control characters.
NOT_PORTABLE = set('<>:"\\|?*')


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
        if path.suffix == SCAFFOLD_TEMPLATES_SUFFIX:
            continue  # the scaffolder's own Jinja templates, copied as they are
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


def unportable_names(root: Path) -> list[str]:
    """Every path in the output with a name Windows refuses or a control character."""
    return [
        str(path.relative_to(root))
        for path in root.rglob("*")
        if NOT_PORTABLE & set(path.name) or any(ord(char) < 32 for char in path.name)
    ]


def misplaced_files(root: Path, answers: dict[str, Any]) -> list[str]:
    """Capability files the answers should have rendered but did not, or the other way round."""
    paths = sorted({path for capability in CAPABILITIES for path in capability.files()})
    misplaced = []
    for target, sources in expected_files(paths, answers).items():
        should_exist = any(renders for _, renders in sources)
        if (root / target).exists() != should_exist:
            templates = ", ".join(str(path) for path, _ in sources)
            state = "missing" if should_exist else "present"
            misplaced.append(f"{target}: {state} (template: {templates})")
    return misplaced


@pytest.mark.parametrize("name", list(VARIANTS))
def test_variant_renders_cleanly(name: str, rendered_variant: RenderedVariant) -> None:
    answers = VARIANTS[name]
    project = rendered_variant(name)
    root = project.root

    assert unrendered_jinja(root) == []
    recorded = yaml.safe_load((root / ".copier-answers.yml").read_text())
    assert {key: recorded[key] for key in answers} == answers
    assert recorded["_src_path"], "copier update needs the template's source in the answers"
    assert unportable_names(root) == [], "Windows cannot check these rendered names out"

    assert misplaced_files(root, project.answers) == []

    services = validate_compose(root / "compose.yaml")
    problems = []
    for capability in CAPABILITIES:
        on = capability.is_on(project.answers)
        state = (
            f"{capability.name} ({capability.question}={project.answers[capability.question]!r})"
        )
        if not on:
            problems += [f"{state} is off: {trace}" for trace in traces_of(root, capability.traces)]
        problems += [
            f"{state} is {'on' if on else 'off'}: compose service '{service}' "
            f"{'missing' if on else 'present'} (compose has {', '.join(services)})"
            for service in capability.services
            if (service in services) != on
        ]
    assert problems == []


@pytest.mark.toolchain
@pytest.mark.parametrize("name", list(VARIANTS))
def test_variant_lints_type_checks_and_passes_its_unit_tests(name: str, tmp_path: Path) -> None:
    """Some variants first get scaffolded packages and have their AsyncAPI document validated
    (tests/test_scaffold.py, tests/test_asyncapi.py): one install and one check serve all."""
    project = Project(render(VARIANTS[name], tmp_path / name))
    if name in SCAFFOLDED or name in ASYNCAPI_VARIANTS:
        project.sync()
    if name in SCAFFOLDED:
        scaffold_two_packages(project)
    if name in ASYNCAPI_VARIANTS:
        assert_writes_a_valid_asyncapi_3_document(project, tmp_path)
    project.check()
