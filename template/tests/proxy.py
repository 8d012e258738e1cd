"""A loopback TCP proxy that tests cut and restore: a dependency going down and coming back.

Cutting aborts every forwarded connection and stops listening, so new connects are refused,
as when the service behind it stops; restoring listens again on the same port.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import TypeVar

T = TypeVar("T")
CHUNK = 65_536


class TcpProxy:
    """Forwards 127.0.0.1:<port> to a target, on an event loop in its own thread."""

    def __init__(self, target_host: str, target_port: int) -> None:
        self._target = (target_host, target_port)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._server: asyncio.Server | None = None
        self._links: set[asyncio.StreamWriter] = set()
        self._tasks: set[asyncio.Task[None]] = set()
        self.port = 0

    def start(self) -> None:
        """Start the thread and listen on a free port (kept for every later ``restore``)."""
        self._thread.start()
        self._call(self._listen())

    def cut(self) -> None:
        """Abort every forwarded connection and stop listening: connects are refused."""
        self._call(self._cut())

    def restore(self) -> None:
        """Listen again on the same port."""
        self._call(self._listen())

    def close(self) -> None:
        """Cut, then stop the thread."""
        self._call(self._cut())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        self._loop.close()

    def _call(self, coroutine: Coroutine[object, object, T]) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout=10)

    async def _listen(self) -> None:
        if self._server is None:
            self._server = await asyncio.start_server(
                self._accept, "127.0.0.1", self.port, reuse_address=True
            )
            self.port = int(self._server.sockets[0].getsockname()[1])

    async def _cut(self) -> None:
        server, self._server = self._server, None
        if server is not None:
            server.close()
        for writer in list(self._links):
            writer.transport.abort()
        self._links.clear()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _accept(
        self, client_reader: asyncio.StreamReader, client: asyncio.StreamWriter
    ) -> None:
        try:
            upstream_reader, upstream = await asyncio.open_connection(*self._target)
        except OSError:
            client.transport.abort()
            return
        if self._server is None:  # cut while this connection was being set up
            client.transport.abort()
            upstream.transport.abort()
            return
        self._links.update({client, upstream})
        for reader, writer in ((client_reader, upstream), (upstream_reader, client)):
            task = asyncio.create_task(self._pipe(reader, writer))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)

    async def _pipe(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            while data := await reader.read(CHUNK):
                writer.write(data)
                await writer.drain()
        except OSError:
            pass
        finally:
            self._links.discard(writer)
            writer.transport.abort()

    @property
    def address(self) -> str:
        """``127.0.0.1:<port>``, to put in a URL in place of the target's address."""
        return f"127.0.0.1:{self.port}"
