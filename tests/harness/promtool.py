"""Prometheus' own promtool, built once from its Go module: it checks configs, rules and PromQL."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from functools import cache
from pathlib import Path

from tests.harness.cache import cache_dir
from tests.harness.goinstall import go_install

MODULE = "github.com/prometheus/prometheus/cmd/promtool"
# Prometheus v3.16.0: its Go module is tagged v0.3MM.P for release v3.MM.P. Keep it in step with
# the prom/prometheus image of the rendered compose.yaml.
VERSION = "v0.316.0"
# Prometheus' own build tag that leaves out every service discovery but static, file and HTTP:
# the rendered configuration uses static_configs, and the cloud discoveries' SDKs are most of
# the build (cold, on two cores: about 3 minutes and 1 GB of modules, against about 9 minutes
# and 1.8 GB without the tag).
TAGS = "remove_all_sd"
BUILD_TIMEOUT = 1800  # seconds; a first build on a fresh machine also downloads the modules
RUN_TIMEOUT = 60


@cache
def promtool() -> Path:
    """Build promtool once per version into the harness cache and return the binary's path."""
    binary = cache_dir() / "promtool" / f"{VERSION}-{TAGS}" / "promtool"
    return go_install(MODULE, VERSION, binary, tags=TAGS, timeout=BUILD_TIMEOUT)
    go = shutil.which("go")
    if go is None:
        raise RuntimeError(f"`go` is not on PATH: the Go toolchain is needed to build {MODULE}")
    binary.parent.mkdir(parents=True, exist_ok=True)
    # Install into a unique directory beside the target, then rename: concurrent builders never
    # see a half-written binary, and the last rename simply wins with an identical file.
    with tempfile.TemporaryDirectory(prefix=".build-", dir=binary.parent) as scratch:
        # GOTOOLCHAIN=local: fail plainly rather than try to download another Go toolchain.
        # `go install module@version` builds from the module's own go.mod and go.sum, outside
        # any module of ours (the scratch directory is the working directory).
        result = subprocess.run(
            [go, "install", "-trimpath", f"-tags={TAGS}", f"{MODULE}@{VERSION}"],
            cwd=scratch,
            env={**os.environ, "GOTOOLCHAIN": "local", "GOBIN": scratch},
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=BUILD_TIMEOUT,
            check=False,
        )
        if result.returncode != 0:
            tail = "\n".join((result.stdout + result.stderr).splitlines()[-40:])
            raise RuntimeError(
                f"building {MODULE}@{VERSION} failed (exit {result.returncode}):\n{tail}"
            )
        os.replace(Path(scratch) / "promtool", binary)
    return binary


def run_promtool(*arguments: str) -> str:
    """Run ``promtool ARGUMENTS``; return its output, or raise ValueError with it on a failure."""
    result = subprocess.run(
        [str(promtool()), *arguments],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=RUN_TIMEOUT,
        check=False,
    )
    output = (result.stdout + result.stderr).strip()
    # promtool exits 1 when a check fails and 3 when only a lint finds something.
    if result.returncode in {1, 3}:
        raise ValueError(f"promtool {' '.join(arguments)}:\n{output}")
    if result.returncode != 0:
        raise RuntimeError(f"promtool {' '.join(arguments)} exited {result.returncode}:\n{output}")
    return output


def check_config(path: Path) -> str:
    """``promtool check config``: the Prometheus configuration and the rule files it names."""
    return run_promtool("check", "config", str(path))


def check_rules(*paths: Path) -> str:
    """``promtool check rules``: rule files (alerting and recording rules, and their PromQL)."""
    return run_promtool("check", "rules", *(str(path) for path in paths))
