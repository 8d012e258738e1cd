"""Events the service reports as they happen, for whatever observes it.

The core calls these hooks where things happen (a WebSocket opens, a limit refuses a request,
the limits' store fails); this base class ignores them, at the cost of a method call. A
capability that observes the service subclasses it, and the lifespan puts its instance in
``AppState.telemetry``.
"""

from __future__ import annotations

from typing import Literal

# Why a WebSocket frame was refused before dispatch.
FrameRefusal = Literal["unreadable", "too_large", "rate_limited"]
# Which limit refused a request: HTTP requests, WebSocket messages or connection slots.
LimitScope = Literal["http", "ws_message", "connection"]


class Telemetry:
    """The hooks, each doing nothing here."""

    def ws_opened(self) -> None:
        """An authenticated WebSocket connection was registered."""

    def ws_closed(self, code: int | None) -> None:
        """A registered connection ended, with this close code (None: none was received)."""

    def ws_answered(self, pkg_id: int, status: int, seconds: float) -> None:
        """A request frame was answered with ``status`` after ``seconds``."""

    def ws_refused(self, reason: FrameRefusal) -> None:
        """A frame was refused before dispatch."""

    def rate_limited(self, scope: LimitScope) -> None:
        """A limit refused a request, a message or a connection."""

    def limiter_failed(self) -> None:
        """A call to the limits' store failed or ran out of time."""

    def limiter_failed_open(self) -> None:
        """A request went through uncounted, because the store could not count it."""
