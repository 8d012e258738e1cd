"""The benchmark's smoke run: every workload answers, without errors, with a finite ratio.

It checks that `python -m tests.harness bench` still runs against the template as it is; the
numbers themselves are not judged (a busy machine moves them).
"""

from __future__ import annotations

import math
import time
from pathlib import Path

import pytest

from tests.harness.bench import WORKLOADS, BenchOptions, run_bench
from tests.harness.stack import ComposeStack, NativeStack

pytestmark = pytest.mark.boot


def test_bench_smoke_measures_every_workload(
    stack: NativeStack | ComposeStack, tmp_path: Path
) -> None:
    started = time.monotonic()
    report = run_bench(BenchOptions.smoke(directory=tmp_path / "bench"), stack=stack)
    print(f"bench smoke took {time.monotonic() - started:.0f} s")

    assert report.problems() == []
    assert report.rendered == ["rendered"]
    for workload in WORKLOADS:
        for target in ("rendered", report.baselines[workload.name]):
            (run,) = [r for r in report.runs if (r.workload, r.target) == (workload.name, target)]
            assert run.replies > 0, run
            assert run.errors == 0, run
        (ratio,) = report.ratios(workload.name, "rendered")
        assert math.isfinite(ratio), (workload.name, ratio)
        assert ratio > 0, (workload.name, ratio)
    for target in ("rendered", "bare Starlette"):
        for deflate in (True, False):
            (memory,) = [m for m in report.memory if (m.target, m.deflate) == (target, deflate)]
            assert memory.errors == 0, memory
            assert memory.connections == report.options.idle_connections, memory
            assert math.isfinite(memory.per_connection_kib), memory
    assert [cold.label for cold in report.cold] == ["rendered", "bare imports"]
    assert all(0 < cold.median < math.inf for cold in report.cold), report.cold
