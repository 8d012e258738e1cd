"""The WebSocket message limit: small until the connection authenticates, larger after."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MESSAGE_TOO_BIG = 1009
SCOPE_KEY = "edge.frame_budget"


@dataclass(slots=True)
class FrameBudget:
    """The largest message a connection may send now."""

    limit: int
    authenticated_limit: int

    def authenticate(self) -> None:
        """The connection proved who it is: allow the larger messages from now on."""
        self.limit = self.authenticated_limit


def mark_authenticated(scope: Scope) -> None:
    """Raise a connection's message limit once it authenticated (no-op without the middleware)."""
    budget = scope.get(SCOPE_KEY)
    if isinstance(budget, FrameBudget):
        budget.authenticate()


def exceeds(message: Message, limit: int) -> bool:
    """Whether a received message carries more than ``limit`` bytes."""
    text = message.get("text")
    if text is not None:
        # A character takes one to four bytes: encode only when its count cannot decide.
        if len(text) > limit or len(text) * 4 <= limit:
            return len(text) > limit
        return len(text.encode()) > limit
    data = message.get("bytes")
    return data is not None and len(data) > limit


class FrameLimitMiddleware:
    """Close with 1009 on a message over the limit, before the endpoint reads it."""

    def __init__(self, app: ASGIApp, *, auth_frame_limit: int, frame_limit: int) -> None:
        self.app = app
        self.auth_frame_limit = auth_frame_limit
        self.frame_limit = frame_limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "websocket":
            await self.app(scope, receive, send)
            return
        budget = FrameBudget(limit=self.auth_frame_limit, authenticated_limit=self.frame_limit)
        scope[SCOPE_KEY] = budget
        closed = False

        async def limited_receive() -> Message:
            nonlocal closed
            message = await receive()
            if message["type"] == "websocket.receive" and exceeds(message, budget.limit):
                closed = True
                reason = f"a message may carry at most {budget.limit} bytes"
                await send({"type": "websocket.close", "code": MESSAGE_TOO_BIG, "reason": reason})
                return {"type": "websocket.disconnect", "code": MESSAGE_TOO_BIG, "reason": reason}
            return message

        async def guarded_send(message: Message) -> None:
            # After the limit closed the socket, what the endpoint still sends goes nowhere.
            if not closed:
                await send(message)

        await self.app(scope, limited_receive, guarded_send)
