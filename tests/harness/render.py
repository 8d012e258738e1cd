"""Render the template with copier's API, exactly as `copier copy --trust` would."""

from __future__ import annotations

import warnings
from pathlib import Path

import copier
from copier.errors import DirtyLocalWarning

from tests.harness.variants import TEMPLATE_ROOT, Answers


def render(answers: Answers, destination: Path) -> Path:
    """Render the template's working tree (uncommitted changes included) into ``destination``."""
    with warnings.catch_warnings():
        # Rendering uncommitted work is the point while the template is being changed.
        warnings.simplefilter("ignore", DirtyLocalWarning)
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
