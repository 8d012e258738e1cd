"""Bare Starlette: a WebSocket at /ws that echoes each text frame, with no authentication."""

# mypy: ignore-errors
# Starlette is installed in the rendered project's venv, not in the template's, so this
# repository's mypy cannot follow the imports; the module passes `mypy --strict` in that venv.

from __future__ import annotations

from starlette.applications import Starlette
from starlette.routing import WebSocketRoute
from starlette.websockets import WebSocket, WebSocketDisconnect


async def echo(websocket: WebSocket) -> None:
    """Send back every text frame until the client leaves."""
    await websocket.accept()
    try:
        while True:
            await websocket.send_text(await websocket.receive_text())
    except WebSocketDisconnect:
        pass


app = Starlette(routes=[WebSocketRoute("/ws", echo)])
