"""Validate Docker Compose files with compose-go, the loader Docker Compose itself uses."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from tests.harness.cache import cache_dir

SOURCE_DIR = Path(__file__).resolve().parents[1] / "compose_check"
SOURCE_FILES = ("go.mod", "go.sum", "main.go")
BUILD_TIMEOUT = 600  # seconds; a first build on a fresh machine also downloads the modules
RUN_TIMEOUT = 60


def _source_hash() -> str:
    """A short digest of the checker's sources, so any change to them builds a new binary."""
    digest = hashlib.sha256()
    for name in SOURCE_FILES:
        digest.update(name.encode() + b"\0")
        digest.update((SOURCE_DIR / name).read_bytes() + b"\0")
    return digest.hexdigest()[:16]


@cache
def compose_checker() -> Path:
    """Build the compose-check program once per source hash and return the binary's path."""
    binary = cache_dir() / "compose-check" / _source_hash() / "compose-check"
    if binary.is_file():
        return binary
    go = shutil.which("go")
    if go is None:
        raise RuntimeError(
            "`go` is not on PATH: the Go toolchain is needed to build tests/compose_check"
        )
    binary.parent.mkdir(parents=True, exist_ok=True)
    # Build in a unique directory beside the target, then rename: concurrent builders never
    # see a half-written binary, and the last rename simply wins with an identical file.
    with tempfile.TemporaryDirectory(prefix=".build-", dir=binary.parent) as scratch:
        built = Path(scratch) / "compose-check"
        # GOTOOLCHAIN=local: fail plainly rather than try to download another Go toolchain;
        # -mod=readonly: a go.sum out of date with go.mod is an error, not a silent rewrite.
        result = subprocess.run(
            [go, "build", "-mod=readonly", "-trimpath", "-o", str(built), "."],
            cwd=SOURCE_DIR,
            env={**os.environ, "GOTOOLCHAIN": "local"},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT,
            check=False,
        )
        if result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
            raise RuntimeError(f"building {SOURCE_DIR} failed (exit {result.returncode}):\n{tail}")
        os.replace(built, binary)
    return binary


def validate_compose(path: Path) -> list[str]:
    """Check one compose file and return its service names; raise ValueError if it is invalid."""
    result = subprocess.run(
        [str(compose_checker()), str(path)],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    if result.returncode == 1:
        raise ValueError(result.stderr.strip())
    if result.returncode != 0:
        raise RuntimeError(
            f"compose-check exited {result.returncode} on {path}:\n{result.stderr.strip()}"
        )
    # The one output line reads "ok FILE (services: a, b, c)".
    line = result.stdout.strip().splitlines()[-1]
    _, marker, services = line.rpartition("(services: ")
    if not marker or not services.endswith(")"):
        raise RuntimeError(f"unexpected compose-check output for {path}: {result.stdout!r}")
    names = services.removesuffix(")")
    return names.split(", ") if names else []
