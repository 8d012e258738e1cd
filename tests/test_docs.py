"""The documentation site: every question and every setting documented, links that hold, and a
strict MkDocs build."""

from __future__ import annotations

import ast
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from docs.hooks.questions import (
    coverage_errors,
    documented_sections,
    facts,
    load_questions,
    with_facts,
)
from tests.harness.render import render
from tests.harness.variants import TEMPLATE_ROOT, variant

DOCS = TEMPLATE_ROOT / "docs"
# Together they render every settings module: PostgreSQL with Redis, the audit trail and
# metrics; SQLite with the in-process backplane.
SETTINGS_VARIANTS = ("postgresql", "sqlite-minimal")


def test_every_question_has_one_section_and_every_section_a_question() -> None:
    questions = load_questions(TEMPLATE_ROOT / "copier.yml")
    sections = documented_sections((DOCS / "questions.md").read_text(encoding="utf-8"))
    assert coverage_errors(questions, sections) == []


def test_coverage_errors_name_the_missing_the_unknown_and_the_repeated() -> None:
    questions = {"database": {}, "metrics": {}}
    sections = documented_sections("### database\n\n### `databse`\n\n### database\n")
    assert coverage_errors(questions, sections) == [
        "question 'metrics' has no '### metrics' section",
        "section '### databse' names no question",
        "question 'database' has more than one section",
    ]


def test_facts_come_from_copier_yml() -> None:
    questions = load_questions(TEMPLATE_ROOT / "copier.yml")
    page = with_facts("## Capabilities\n\n### database\n\nWhat it changes.\n", questions)
    assert "`postgresql` (PostgreSQL (asyncpg))" in page
    assert f"**copier asks**: {questions['database']['help']}" in page
    assert page.index("**type**") < page.index("What it changes.")
    assert "(computed from the answers before it)" in facts(questions["project_slug"])


def _env_settings(module: Path) -> set[str]:
    """The environment variables of a settings module: ``PREFIX_FIELD`` for each field of a
    class configured with ``env_config("PREFIX_")``, nested groups left out."""
    names = set()
    for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.ClassDef):
            continue
        prefix = None
        for statement in node.body:
            if (
                isinstance(statement, ast.AnnAssign | ast.Assign)
                and isinstance(statement.value, ast.Call)
                and isinstance(statement.value.func, ast.Name)
                and statement.value.func.id == "env_config"
            ):
                argument = statement.value.args[0]
                assert isinstance(argument, ast.Constant)
                prefix = str(argument.value)
        if prefix is None:
            continue
        for statement in node.body:
            if not isinstance(statement, ast.AnnAssign) or not isinstance(
                statement.target, ast.Name
            ):
                continue
            if statement.target.id == "model_config":
                continue
            value = statement.value
            nested = isinstance(value, ast.Call) and any(
                keyword.arg == "default_factory" for keyword in value.keywords
            )
            if not nested:
                names.add(f"{prefix}{statement.target.id}".upper())
    return names


@pytest.fixture(scope="module")
def rendered_settings(tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[str]]:
    """Each settings variant's environment variables, read from its rendered source."""
    found = {}
    for name in SETTINGS_VARIANTS:
        project = render(variant(name), tmp_path_factory.mktemp("settings") / name)
        settings: set[str] = set()
        for module in (project / "src").rglob("*.py"):
            if "env_config(" in module.read_text(encoding="utf-8"):
                settings |= _env_settings(module)
        assert "DB_URL" in settings, "no settings found: did env_config change?"
        found[name] = settings
    return found


def _settings_page() -> str:
    return (DOCS / "service" / "settings.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("name", SETTINGS_VARIANTS)
def test_every_setting_of_a_render_is_documented(
    name: str, rendered_settings: dict[str, set[str]]
) -> None:
    page = _settings_page()
    missing = sorted(setting for setting in rendered_settings[name] if f"`{setting}`" not in page)
    assert missing == [], f"docs/service/settings.md does not name {missing}"


def test_the_settings_tables_name_only_settings(rendered_settings: dict[str, set[str]]) -> None:
    known = set().union(*rendered_settings.values())
    rows = re.findall(r"^\| `([A-Z0-9_]+)` \|", _settings_page(), flags=re.MULTILINE)
    assert rows, "no settings table rows found"
    assert sorted(set(rows) - known) == []


def test_readme_links_into_the_docs_resolve() -> None:
    readme = (TEMPLATE_ROOT / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\((docs/[^)#]+)(?:#[^)]*)?\)", readme)
    assert targets, "the README links to no documentation page"
    assert [target for target in targets if not (TEMPLATE_ROOT / target).is_file()] == []


def test_the_site_builds_strictly(tmp_path: Path) -> None:
    site = tmp_path / "site"
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=TEMPLATE_ROOT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    questions = (site / "questions" / "index.html").read_text(encoding="utf-8")
    assert "copier asks" in questions
    changelog = (site / "changelog" / "index.html").read_text(encoding="utf-8")
    newest = next(
        line.removeprefix("## ").split(" (")[0]
        for line in (TEMPLATE_ROOT / "CHANGELOG.md").read_text().splitlines()
        if line.startswith("## ")
    )
    assert newest in changelog, f"the changelog page lacks its newest section, {newest}"
    assert not (site / "hooks").exists(), "the hook's source was published as a page"
