"""Readiness checks: run them concurrently, each under a deadline, and report each outcome."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass

Check = Callable[[], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of one dependency check."""

    ok: bool
    duration_ms: float
    error: str | None = None

    def as_dict(self) -> dict[str, object]:
        """The result as it appears in the readiness response."""
        body: dict[str, object] = {
            "status": "ok" if self.ok else "failed",
            "duration_ms": round(self.duration_ms, 1),
        }
        if self.error is not None:
            body["error"] = self.error
        return body


async def run_check(check: Check, time_limit: float) -> CheckResult:
    """Run one check; running out of time or any exception fails it with a readable reason."""
    started = time.perf_counter()
    try:
        await asyncio.wait_for(check(), timeout=time_limit)
    except TimeoutError:
        error = f"no answer within {time_limit:g}s"
    except Exception as exc:  # any failure of a dependency means "not ready"
        error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
    else:
        return CheckResult(ok=True, duration_ms=(time.perf_counter() - started) * 1000)
    return CheckResult(ok=False, duration_ms=(time.perf_counter() - started) * 1000, error=error)


async def run_checks(checks: Mapping[str, Check], time_limit: float) -> dict[str, CheckResult]:
    """Run all checks at once, each within ``time_limit`` seconds; return results by name."""
    names = list(checks)
    results = await asyncio.gather(*(run_check(checks[name], time_limit) for name in names))
    return dict(zip(names, results, strict=True))
