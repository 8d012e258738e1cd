"""What every limiter backend offers: a sliding-window check and connection slots.

The algorithm is a sliding window log: a check counts the hits of the last ``window``
seconds and admits a new one only while there are fewer than ``limit``. So a limit of N per
window admits exactly N in ANY window of that length, with no burst above it and none below
(a fixed window admits 2N around its edge; GCRA admits its burst plus one more at once).
It keeps one entry per admitted hit, which is cheap for limits of up to a few thousand.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Protocol


class LimiterUnavailableError(Exception):
    """The backend could not answer a check (its store is down, say); the fail mode decides."""


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of one check: admitted or not, and what the client may do next."""

    allowed: bool
    limit: int
    remaining: int
    # Seconds until the oldest hit in the window leaves it, freeing a slot.
    reset_after: float
    # False when the backend failed and the fail mode decided instead of a count.
    counted: bool = True

    @property
    def retry_after(self) -> int:
        """Whole seconds to wait before a retry can succeed (at least 1 when refused)."""
        return max(1, math.ceil(self.reset_after)) if not self.allowed else 0

    def headers(self) -> dict[str, str]:
        """``X-RateLimit-*`` headers, plus ``Retry-After`` when refused."""
        headers = {
            "X-RateLimit-Limit": str(self.limit),
            "X-RateLimit-Remaining": str(max(0, self.remaining)),
            "X-RateLimit-Reset": str(math.ceil(max(0.0, self.reset_after))),
        }
        if not self.allowed:
            headers["Retry-After"] = str(self.retry_after)
        return headers


class RateLimiter(Protocol):
    """Counts hits per key in a sliding window; each check is one atomic step."""

    async def hit(self, key: str, *, limit: int, window: float) -> Decision:
        """Record a hit of ``key`` if fewer than ``limit`` fell in the last ``window`` seconds."""
        ...


class ConnectionSlots(Protocol):
    """Bounded sets of live connection ids per key; entries expire unless refreshed."""

    async def acquire(self, key: str, member: str, *, limit: int, ttl: float) -> bool:
        """Hold (or refresh) a slot for ``member``; False when ``limit`` others hold one."""
        ...

    async def release(self, key: str, member: str) -> None:
        """Give the slot back (idempotent)."""
        ...
