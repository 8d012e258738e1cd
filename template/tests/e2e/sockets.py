"""Clients of a running server: authenticated sockets, frames, pushes and calls."""

from __future__ import annotations

import asyncio
import json
import uuid
from contextlib import AsyncExitStack

import httpx
from websockets.asyncio.client import ClientConnection, connect

JsonObject = dict[str, object]


def ws_url(base_url: str) -> str:
    """The WebSocket endpoint of a server."""
    return base_url.replace("http://", "ws://", 1) + "/web"


async def open_as(stack: AsyncExitStack, base_url: str, token: str) -> ClientConnection:
    """An authenticated socket to a server, closed with the test."""
    return await stack.enter_async_context(
        connect(
            ws_url(base_url),
            additional_headers={"Authorization": f"Bearer {token}"},
            open_timeout=10,
        )
    )


async def next_frame(websocket: ClientConnection, within: float = 5) -> JsonObject:
    frame: JsonObject = json.loads(await asyncio.wait_for(websocket.recv(), timeout=within))
    return frame


async def post(base_url: str, path: str, token: str, body: object) -> httpx.Response:
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        return await client.post(path, json=body, headers={"Authorization": f"Bearer {token}"})


async def user_id(base_url: str, token: str) -> str:
    """The caller's user id, as the service sees it."""
    async with httpx.AsyncClient(base_url=base_url, timeout=10) as client:
        response = await client.get("/auth/me", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200, response.text
    return str(response.json()["user_id"])


async def registered(base_url: str, websocket: ClientConnection) -> None:
    """Wait until the server registered the socket: its first request is answered after that."""
    req_id = str(uuid.uuid4())
    await websocket.send(json.dumps({"pkg_id": 2, "req_id": req_id, "data": {}}))
    assert (await next_frame(websocket))["req_id"] == req_id
