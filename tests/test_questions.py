"""copier.yml: every question is documented, and each invalid answer is refused with its reason."""

from __future__ import annotations

import re
from itertools import combinations
from pathlib import Path

import pytest
import yaml

from tests.harness.render import render
from tests.harness.variants import (
    CAPABILITY_QUESTIONS,
    DEEP_VARIANTS,
    option_values,
    questions,
)


def test_every_question_has_a_type_help_and_default() -> None:
    for name, question in questions().items():
        assert question.get("type"), f"{name} has no type"
        assert question.get("help"), f"{name} has no help"
        assert "default" in question, f"{name} has no default"


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"project_name": "  "}, "project_name must not be empty"),
        ({"project_slug": "My Service"}, "project_slug 'My Service' must be lowercase"),
        ({"project_slug": "class"}, "'class' is a Python keyword"),
        ({"project_slug": "test"}, "is reserved for the project's own layout"),
        (
            {"module_name": "my-service"},
            "module_name 'my-service' must be a lowercase Python identifier",
        ),
        ({"module_name": "json"}, "would shadow the standard-library module 'json'"),
        ({"module_name": "tests"}, "is reserved for the project's own layout"),
        ({"module_name": "lambda"}, "'lambda' is a Python keyword"),
        ({"author_email": "not-an-address"}, "is not an e-mail address"),
        ({"python_version": "3.9"}, "Invalid choice for 'python_version'"),
        ({"database": "mysql"}, "Invalid choice for 'database'"),
        ({"keycloak_realm": "master"}, "Keycloak's administration realm"),
        ({"keycloak_client_id": "my client"}, "keycloak_client_id 'my client' must be"),
    ],
)
def test_invalid_answer_is_refused_with_its_reason(
    answers: dict[str, str], message: str, tmp_path: Path
) -> None:
    destination = tmp_path / "out"
    with pytest.raises(ValueError, match=re.escape(message)):
        render(answers, destination)
    assert not destination.exists() or not any(destination.iterdir()), "nothing may be written"


@pytest.mark.parametrize(("database", "use_redis"), [("postgresql", True), ("sqlite", False)])
def test_redis_is_on_by_default_only_with_postgresql(
    database: str, use_redis: bool, tmp_path: Path
) -> None:
    # SQLite already means a single instance; Redis shares limits and pushes across instances.
    project = render({"database": database}, tmp_path / "out")
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["use_redis"] is use_redis


def test_the_deep_variants_boot_every_pair_of_capability_values() -> None:
    options = option_values()
    for name, answers in DEEP_VARIANTS.items():
        assert set(CAPABILITY_QUESTIONS) <= set(answers), f"{name}: state every capability"
    booted = list(DEEP_VARIANTS.values())
    missing = [
        f"{first}={a} with {second}={b}"
        for first, second in combinations(CAPABILITY_QUESTIONS, 2)
        for a in options[first]
        for b in options[second]
        if not any(row[first] == a and row[second] == b for row in booted)
    ]
    assert missing == [], "no deep variant boots these pairs"
    assert len(DEEP_VARIANTS) >= 6
