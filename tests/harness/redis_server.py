"""A throwaway redis-server from the Debian package, on a free loopback port."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

from tests.harness.ports import free_port
from tests.harness.process import ServiceProcess, ServiceStartError


def redis_server_binary() -> str:
    """The redis-server executable, or a clear error when it is not installed."""
    found = shutil.which("redis-server")
    if not found:
        raise ServiceStartError(
            "redis-server not found on PATH; install it with: apt-get install -y redis-server"
        )
    return found


def ping(port: int, host: str = "127.0.0.1") -> bool:
    """Send PING with the inline protocol and expect +PONG."""
    with socket.create_connection((host, port), timeout=1) as sock:
        sock.sendall(b"PING\r\n")
        return sock.recv(64).startswith(b"+PONG")


class NativeRedis:
    """An in-memory Redis (no persistence) bound to 127.0.0.1."""

    def __init__(self, workdir: Path, port: int | None = None) -> None:
        self.workdir = workdir
        self.port = port or free_port()
        self.process = ServiceProcess(
            name=f"Redis on 127.0.0.1:{self.port}",
            argv=[
                redis_server_binary(),
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(workdir),
                "--databases",
                "64",
            ],
            log_path=workdir / "redis.log",
        )

    def start(self, timeout: float = 30.0) -> None:
        """Start the server and wait until it answers PING."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.process.start()
        self.process.wait_ready(lambda: ping(self.port), timeout)

    def url(self, database: int = 0) -> str:
        """The URL of one logical database."""
        return f"redis://127.0.0.1:{self.port}/{database}"

    def stop(self) -> None:
        """Stop the server."""
        self.process.stop()

    @property
    def pid(self) -> int:
        """The server's process id."""
        return self.process.pid
