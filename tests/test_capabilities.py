"""The capability table covers every question that switches something off or picks a backend."""

from __future__ import annotations

from pathlib import PurePosixPath

import pytest

from tests.harness.capabilities import (
    CAPABILITIES,
    NOT_CAPABILITIES,
    capability_questions,
    conditional_paths,
    destination,
    expected_files,
    switched_destination,
)
from tests.harness.variants import option_values, questions


def test_every_bool_and_choice_question_is_a_capability_or_exempt() -> None:
    missing = sorted(set(option_values()) - capability_questions() - set(NOT_CAPABILITIES))
    assert missing == [], (
        f"no row in CAPABILITIES (tests/harness/capabilities.py) for {missing}: add one "
        "(its traces, compose services and on-answers), or list the question in NOT_CAPABILITIES "
        "with the reason it switches nothing off"
    )


def test_exempt_questions_exist_and_have_no_row() -> None:
    assert sorted(set(NOT_CAPABILITIES) - set(option_values())) == [], (
        "NOT_CAPABILITIES names questions copier.yml does not ask as bool or choices"
    )
    assert sorted(set(NOT_CAPABILITIES) & capability_questions()) == []


def test_every_answer_of_a_capability_question_is_valid_and_backends_each_have_a_row() -> None:
    options = option_values()
    for capability in CAPABILITIES:
        assert capability.question in questions(), f"{capability.name}: no such question"
        invalid = [value for value in capability.on if value not in options[capability.question]]
        assert invalid == [], f"{capability.name}: {invalid} are not answers to its question"
    for question in capability_questions():
        if questions()[question].get("type") == "bool":
            continue
        # A choice picks a backend: each choice is a row, so that the others leave no trace.
        kept = {value for row in CAPABILITIES if row.question == question for value in row.on}
        missing = [value for value in options[question] if value not in kept]
        assert missing == [], f"'{question}': no row keeps the backend(s) {missing}"


def test_every_conditional_template_path_belongs_to_a_capability() -> None:
    unclaimed = [
        str(path)
        for path in conditional_paths()
        if not any(path in capability.files() for capability in CAPABILITIES)
    ]
    assert unclaimed == [], "conditions on questions without a row in CAPABILITIES"


def test_every_capability_path_name_is_a_plain_switch() -> None:
    # switched_destination refuses names it cannot read (else, elif, for).
    answers = {"module_name": "service"}
    for path in conditional_paths():
        assert switched_destination(path, answers).parts[-1], path


@pytest.mark.parametrize("use_redis", [True, False])
def test_one_of_two_paths_to_one_destination_renders(use_redis: bool) -> None:
    on = PurePosixPath("src/{{module_name}}/{% if use_redis %}backplane{% endif %}/x.py.jinja")
    off = PurePosixPath("src/{{module_name}}/{% if not use_redis %}backplane{% endif %}/x.py")
    answers = {"module_name": "svc", "use_redis": use_redis}
    target = PurePosixPath("src/svc/backplane/x.py")
    assert destination(on if use_redis else off, answers) == target
    assert destination(off if use_redis else on, answers) is None
    expected = expected_files([on, off], answers)
    assert list(expected) == [target]
    assert [renders for _, renders in expected[target]] == [use_redis, not use_redis]


def test_a_name_with_else_is_refused() -> None:
    path = PurePosixPath("{% if use_redis %}a.py{% else %}b.py{% endif %}")
    with pytest.raises(ValueError, match="one path per condition"):
        switched_destination(path, {"use_redis": True})
