"""Go programs built once from the module proxy into the harness cache (promtool, actionlint)."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path


def go_install(module: str, version: str, binary: Path, *, tags: str = "", timeout: float) -> Path:
    """``go install module@version`` into ``binary``, unless it is there; return its path."""
    if binary.is_file():
        return binary
    go = shutil.which("go")
    if go is None:
        raise RuntimeError(f"`go` is not on PATH: the Go toolchain is needed to build {module}")
    binary.parent.mkdir(parents=True, exist_ok=True)
    # Install into a unique directory beside the target, then rename: concurrent builders never
    # see a half-written binary, and the last rename simply wins with an identical file.
    with tempfile.TemporaryDirectory(prefix=".build-", dir=binary.parent) as scratch:
        # GOTOOLCHAIN=local: fail plainly rather than try to download another Go toolchain.
        # `go install module@version` builds from the module's own go.mod and go.sum, outside
        # any module of ours (the scratch directory is the working directory).
        result = subprocess.run(
            [
                go,
                "install",
                "-trimpath",
                *([f"-tags={tags}"] if tags else []),
                f"{module}@{version}",
            ],
            cwd=scratch,
            env={**os.environ, "GOTOOLCHAIN": "local", "GOBIN": scratch},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
            raise RuntimeError(
                f"building {module}@{version} failed (exit {result.returncode}):\n{tail}"
            )
        os.replace(Path(scratch) / Path(module).name, binary)
    return binary
