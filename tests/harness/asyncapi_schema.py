"""The official AsyncAPI 3.0.0 JSON Schema, from the npm package @asyncapi/specs, cached once.

The package (Apache-2.0) is fetched with ``npm pack`` at a pinned version, its tarball checked
against a pinned SHA-256, and the one schema file kept in the harness cache.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from functools import cache
from pathlib import Path
from typing import Any

from tests.harness.cache import cache_dir

PACKAGE = "@asyncapi/specs"
VERSION = "6.11.1"
TARBALL = f"asyncapi-specs-{VERSION}.tgz"
TARBALL_SHA256 = "01af8744dc33c0c7eb2e908f6a955319ee58b70ecadc9387d1aeb16c0cd28928"
# The bundled schema: every definition it refers to is inside it, under its own $id.
MEMBER = "package/schemas/3.0.0.json"
FETCH_TIMEOUT = 300  # seconds


@cache
def asyncapi_schema_path() -> Path:
    """Fetch the schema once per version into the harness cache and return its path."""
    target = cache_dir() / "asyncapi-specs" / VERSION / "3.0.0.json"
    if target.is_file():
        return target
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(f"`npm` is not on PATH: it fetches {PACKAGE}@{VERSION}")
    target.parent.mkdir(parents=True, exist_ok=True)
    # Fetch into a unique directory beside the target, then rename: concurrent fetchers never
    # see a half-written file, and the last rename simply wins with an identical one.
    with tempfile.TemporaryDirectory(prefix=".fetch-", dir=target.parent) as scratch:
        result = subprocess.run(
            [npm, "pack", f"{PACKAGE}@{VERSION}", "--pack-destination", scratch, "--silent"],
            cwd=scratch,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=FETCH_TIMEOUT,
            check=False,
        )
        if result.returncode != 0:
            raise RuntimeError(
                f"npm pack {PACKAGE}@{VERSION} failed (exit {result.returncode}):\n"
                f"{(result.stdout + result.stderr)[-4000:]}"
            )
        tarball = Path(scratch) / TARBALL
        digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
        if digest != TARBALL_SHA256:
            raise RuntimeError(f"{TARBALL} has SHA-256 {digest}, not the pinned {TARBALL_SHA256}")
        with tarfile.open(tarball) as archive:
            member = archive.extractfile(MEMBER)
            if member is None:
                raise RuntimeError(f"{TARBALL} has no file {MEMBER}")
            extracted = Path(scratch) / "3.0.0.json"
            extracted.write_bytes(member.read())
        os.replace(extracted, target)
    return target


def asyncapi_schema() -> dict[str, Any]:
    """The AsyncAPI 3.0.0 JSON Schema (draft-07) as a mapping."""
    schema: dict[str, Any] = json.loads(asyncapi_schema_path().read_text(encoding="utf-8"))
    return schema
