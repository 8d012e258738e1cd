"""The question reference: facts from copier.yml under each hand-written section of questions.md.

questions.md has one ``### <question>`` section per question of copier.yml, explaining what
the answer changes in a rendered project. This MkDocs hook puts, right under each such
heading, what copier.yml itself says of the question (its type, default, choices, whether a
validator checks it, its help), so that the page cannot drift from the questions. The build
fails when a question has no section or a section names no question; ``tests/test_docs.py``
checks the same without building.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

QUESTIONS_PAGE = "questions.md"
# A question's section: "### project_name" or "### `project_name`".
SECTION = re.compile(r"^###\s+`?(?P<name>[^`\s]+)`?\s*$", re.MULTILINE)


def load_questions(copier_yml: Path) -> dict[str, dict[str, Any]]:
    """copier.yml's questions in their order: every key not starting with ``_``."""
    document = yaml.safe_load(copier_yml.read_text(encoding="utf-8"))
    if not isinstance(document, dict):
        raise ValueError(f"{copier_yml} is not a YAML mapping")
    return {
        str(name): (spec if isinstance(spec, dict) else {"default": spec})
        for name, spec in document.items()
        if not str(name).startswith("_")
    }


def documented_sections(markdown: str) -> list[str]:
    """The names of the ``###`` sections of the questions page, in order."""
    return [match["name"] for match in SECTION.finditer(markdown)]


def coverage_errors(questions: Mapping[str, object], sections: list[str]) -> list[str]:
    """What is wrong between the questions and the page's sections; empty when they match."""
    errors = [
        f"question '{name}' has no '### {name}' section"
        for name in questions
        if name not in sections
    ]
    errors += [
        f"section '### {name}' names no question" for name in sections if name not in questions
    ]
    repeated = sorted({name for name in sections if sections.count(name) > 1})
    errors += [f"question '{name}' has more than one section" for name in repeated]
    return errors


def _code(value: object) -> str:
    text = "true" if value is True else "false" if value is False else str(value)
    return f"`{text}`" if text else "(empty)"


def _default(value: object) -> str:
    if isinstance(value, str) and "{{" in value:
        return f"{_code(value)} (computed from the answers before it)"
    return _code(value)


def _choices(choices: object) -> str:
    if isinstance(choices, dict):
        return ", ".join(f"{_code(value)} ({label})" for label, value in choices.items())
    if isinstance(choices, list):
        return ", ".join(_code(value) for value in choices)
    return _code(choices)


def facts(spec: Mapping[str, Any]) -> str:
    """The Markdown list of what copier.yml says of one question."""
    lines = [f"- **type**: {_code(spec.get('type', 'str'))}"]
    if "default" in spec:
        lines.append(f"- **default**: {_default(spec['default'])}")
    if "choices" in spec:
        lines.append(f"- **answers**: {_choices(spec['choices'])}")
    if "validator" in spec:
        lines.append("- **checked**: a wrong answer is refused with a message saying why")
    if "when" in spec:
        lines.append(f"- **asked when**: {_code(spec['when'])}")
    if "help" in spec:
        lines.append(f"- **copier asks**: {spec['help']}")
    return "\n".join(lines)


def with_facts(markdown: str, questions: Mapping[str, Mapping[str, Any]]) -> str:
    """The page with each question's facts inserted under its heading."""

    def insert(match: re.Match[str]) -> str:
        return f"{match[0]}\n\n{facts(questions[match['name']])}\n"

    return SECTION.sub(insert, markdown)


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    """MkDocs hook: complete the questions page, or fail the build when it is incomplete."""
    if page.file.src_uri != QUESTIONS_PAGE:
        return markdown
    copier_yml = Path(config.config_file_path).parent / "copier.yml"
    questions = load_questions(copier_yml)
    errors = coverage_errors(questions, documented_sections(markdown))
    if errors:
        raise PluginError(f"{QUESTIONS_PAGE} does not match copier.yml: " + "; ".join(errors))
    return with_facts(markdown, questions)
