"""Static checks of the template's sources that every variant depends on."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from extensions.naming import MAX_MODULE_LENGTH
from tests.harness.variants import TEMPLATE_ROOT

PLACEHOLDER = "{{ module_name }}"
LINE_LENGTH = 100  # the rendered project's ruff line-length


def python_templates() -> list[Path]:
    root = TEMPLATE_ROOT / "template"
    return sorted(path for path in root.rglob("*") if path.name.endswith((".py", ".py.jinja")))


def test_lines_naming_the_package_fit_at_the_longest_name() -> None:
    # ruff format would rewrap such a line for long names only, so no one layout passes for all.
    too_long = []
    for path in python_templates():
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            rendered = len(line) + line.count(PLACEHOLDER) * (MAX_MODULE_LENGTH - len(PLACEHOLDER))
            if PLACEHOLDER in line and rendered > LINE_LENGTH:
                too_long.append(f"{path.relative_to(TEMPLATE_ROOT)}:{number} ({rendered} chars)")
    assert too_long == [], "write these imports with a trailing comma, one name per line"


# Characters Windows refuses in a file name; a template holding one cannot be checked out there.
NOT_PORTABLE = set('<>:"\\|?*')


def test_template_file_names_are_portable() -> None:
    refused = [
        str(path.relative_to(TEMPLATE_ROOT))
        for path in (TEMPLATE_ROOT / "template").rglob("*")
        if NOT_PORTABLE & set(path.name) or any(ord(char) < 32 for char in path.name)
    ]
    assert refused == [], "rename these: Windows cannot check them out"


def test_the_harness_and_extensions_type_check_strictly() -> None:
    # [tool.mypy] in pyproject.toml names the files and turns strict on.
    result = subprocess.run(
        [sys.executable, "-m", "mypy"],
        cwd=TEMPLATE_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
