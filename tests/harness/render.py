"""Render the template with copier's API, exactly as `copier copy --trust` would."""

from __future__ import annotations

from pathlib import Path

import copier

from tests.harness.variants import TEMPLATE_ROOT, Answers


def render(answers: Answers, destination: Path) -> Path:
    """Render the working tree of the template (uncommitted changes included) into ``destination``."""
    copier.run_copy(
        str(TEMPLATE_ROOT),
        str(destination),
        data=answers,
        defaults=True,
        unsafe=True,  # our extensions are loaded by copier-template-extensions
        vcs_ref="HEAD",
        quiet=True,
    )
    return destination
