"""A benchmark of a rendered service against a bare Starlette and a bare FastAPI + SQLModel app.

python -m tests.harness bench [--rounds N] [--duration S] [--connections N] [--idle N]
                              [--compare ANSWERS]... [--dir DIR] [--smoke]

It renders the default answers (and each ``--compare`` variant), installs them, starts their
services as ``up`` does, migrates and seeds the database, then serves one app at a time pinned
to one CPU while this process, pinned to another, drives closed-loop connections at it: each
connection sends a request, waits for the reply, and sends the next. The baselines are the
apps in ``bench_apps/``, served by the rendered project's own venv so that library versions
match. It measures throughput, latency, the server's CPU per request, the server's memory per
idle WebSocket connection and the cold start, and prints each rendered service's ratio to its
baseline. It is a benchmark, not a test: ratios, not absolute numbers, are what travels between
machines, and even they move when the machine is busy.
"""

from __future__ import annotations

import argparse
import ast
import asyncio
import base64
import contextlib
import dataclasses
import hashlib
import json
import math
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any, Literal, cast

import httpx
import yaml

from tests.harness.__main__ import fetch_token
from tests.harness.ports import free_port, port_open
from tests.harness.process import ServiceProcess
from tests.harness.project import Project
from tests.harness.render import render
from tests.harness.stack import ComposeStack, NativeStack, choose_stack
from tests.harness.variants import Answers, questions

APPS_DIR = Path(__file__).resolve().parent / "bench_apps"
DEFAULT_ANSWERS: Answers = {"project_name": "Bench Service"}
USER = "alice"  # the realm user with every role the workloads need

# Rate limits stay on, far above what a run sends. 1_000_000 is the most the settings accept
# (RateLimitSettings: le=1_000_000); the connection limit's most is 10_000.
RATE_LIMIT_ENV = {
    "RATE_LIMIT_ENABLED": "true",
    "RATE_LIMIT_HTTP_LIMIT": "1000000",
    "RATE_LIMIT_WS_LIMIT": "1000000",
    "RATE_LIMIT_CONNECTION_LIMIT": "10000",
}
# What websockets' client offers by default (enable_client_permessage_deflate).
WEBSOCKETS_DEFAULT_DEFLATE_OFFER = "permessage-deflate; client_max_window_bits"
UNKNOWN_PKG_ID = 999999

SERVER_START_TIMEOUT = 60.0
CONNECT_TIMEOUT = 15.0
CLOSE_TIMEOUT = 3.0
REPLY_GRACE = 10.0  # how long after a run's end an unanswered request may still take
IDLE_BATCH = 25  # idle connections opened at once
SETTLE = 0.5  # seconds between the last idle connection and the memory reading
COLD_START_TIMEOUT = 120.0

App = Literal["rendered", "fastapi", "starlette"]
Check = Callable[[bytes], str | None]  # a reply's problem, or None when it is right


class BenchError(RuntimeError):
    """The benchmark could not run; the message says what failed."""


class ReplyError(RuntimeError):
    """A reply was not the one the request asks for."""


# ---------------------------------------------------------------------------------------------
# Options


@dataclass(frozen=True)
class BenchOptions:
    """What to run; ``smoke()`` gives the short run for CI."""

    rounds: int = 3
    duration: float = 5.0  # measured seconds per run
    warmup: float = 1.0  # seconds per run before the measurement starts
    connections: int = 50  # closed-loop connections per run
    idle_connections: int = 200
    cold_starts: int = 5
    seed_authors: int = 100
    compare: tuple[Answers, ...] = ()  # answers overriding DEFAULT_ANSWERS, one per variant
    directory: Path | None = None  # a workspace kept between runs, else a temporary one
    stack_kind: str | None = None

    @classmethod
    def smoke(cls, **changes: Any) -> BenchOptions:
        """One round, 1 s per workload, 5 connections, 20 idle connections."""
        values: dict[str, Any] = {
            "rounds": 1,
            "duration": 1.0,
            "warmup": 0.5,
            "connections": 5,
            "idle_connections": 20,
            "cold_starts": 3,
            "seed_authors": 20,
        }
        values.update(changes)
        return cls(**values)

    def check(self) -> None:
        if self.rounds < 1 or self.connections < 1 or self.idle_connections < 1:
            raise BenchError("--rounds, --connections and --idle must be at least 1")
        if self.duration <= 0 or self.warmup < 0 or self.cold_starts < 1:
            raise BenchError("--duration must be positive and --warmup not negative")


def parse_answers(text: str) -> Answers:
    """``audit_log=false,use_redis=false`` as answers; values are read as YAML scalars."""
    answers: Answers = {}
    for item in text.split(","):
        name, separator, value = item.partition("=")
        if not separator or not name.strip():
            raise BenchError(f"--compare takes NAME=VALUE[,NAME=VALUE...], not '{text}'")
        answers[name.strip()] = yaml.safe_load(value.strip())
    unknown = sorted(set(answers) - set(questions()))
    if unknown:
        raise BenchError(f"--compare: no question {unknown}; copier.yml asks {sorted(questions())}")
    return answers


def answers_label(answers: Answers) -> str:
    return ",".join(f"{name}={json.dumps(value)}" for name, value in answers.items())


# ---------------------------------------------------------------------------------------------
# Lean clients: raw HTTP/1.1 keep-alive and WebSocket over asyncio, so that the client costs far
# less per request than the servers it measures.


class _Stream(asyncio.Protocol):
    """A TCP connection whose bytes accumulate in ``buffer``; ``more()`` waits for more."""

    def __init__(self) -> None:
        self.buffer = bytearray()
        self.closed = False
        self._transport: asyncio.Transport | None = None
        self._waiter: asyncio.Future[None] | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._transport = cast(asyncio.Transport, transport)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self._wake()

    def eof_received(self) -> bool | None:
        self.closed = True
        self._wake()
        return None

    def connection_lost(self, exc: Exception | None) -> None:
        self.closed = True
        self._wake()

    def _wake(self) -> None:
        waiter = self._waiter
        if waiter is not None and not waiter.done():
            waiter.set_result(None)

    async def more(self) -> None:
        if self.closed:
            raise ConnectionError("the server closed the connection")
        self._waiter = asyncio.get_running_loop().create_future()
        try:
            await self._waiter
        finally:
            self._waiter = None

    def write(self, data: bytes) -> None:
        if self._transport is None or self.closed:
            raise ConnectionError("the connection is closed")
        self._transport.write(data)

    def abort(self) -> None:
        if self._transport is not None:
            self._transport.abort()

    async def head(self) -> bytes:
        """An HTTP message head, up to and including the blank line."""
        while True:
            end = self.buffer.find(b"\r\n\r\n")
            if end >= 0:
                head = bytes(self.buffer[: end + 4])
                del self.buffer[: end + 4]
                return head
            await self.more()


async def _open(port: int) -> _Stream:
    _, stream = await asyncio.get_running_loop().create_connection(_Stream, "127.0.0.1", port)
    return stream


def _status(head: bytes) -> int:
    parts = head.split(b" ", 2)
    if len(parts) < 2 or not parts[1].isdigit():
        raise ReplyError(f"not an HTTP response: {head[:100]!r}")
    return int(parts[1])


def _header(head: bytes, name: bytes) -> bytes | None:
    """One header's value (``name`` in lower case), from a head as returned by ``_Stream.head``."""
    lowered = head.lower()
    start = lowered.find(b"\r\n" + name + b":")
    if start < 0:
        return None
    start += len(name) + 3
    return head[start : lowered.find(b"\r\n", start)].strip()


class HttpClient:
    """One keep-alive HTTP/1.1 connection sending GET requests one at a time."""

    def __init__(self, stream: _Stream, port: int, headers: Mapping[str, str]) -> None:
        self._stream = stream
        extra = "".join(f"{name}: {value}\r\n" for name, value in headers.items())
        self._lines = f" HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{extra}\r\n".encode()

    @classmethod
    async def connect(cls, port: int, headers: Mapping[str, str]) -> HttpClient:
        return cls(await _open(port), port, headers)

    async def get(self, path: str) -> tuple[int, bytes]:
        stream = self._stream
        stream.write(b"GET " + path.encode() + self._lines)
        head = await stream.head()
        length = _header(head, b"content-length")
        if length is None:
            raise ReplyError(f"a response without Content-Length: {head[:200]!r}")
        size = int(length)
        while len(stream.buffer) < size:
            await stream.more()
        body = bytes(stream.buffer[:size])
        del stream.buffer[:size]
        return _status(head), body

    async def close(self) -> None:
        self._stream.abort()


def _mask(payload: bytes, key: bytes) -> bytes:
    size = len(payload)
    if size == 0:
        return payload
    keys = (key * (size // 4 + 1))[:size]
    return (int.from_bytes(payload, "little") ^ int.from_bytes(keys, "little")).to_bytes(
        size, "little"
    )


def _take_frame(buffer: bytearray) -> tuple[bool, bool, int, bytes] | None:
    """(fin, rsv1, opcode, payload) of the first whole frame in ``buffer``, removed from it."""
    if len(buffer) < 2:
        return None
    first, second = buffer[0], buffer[1]
    size, offset = second & 0x7F, 2
    if size == 126:
        if len(buffer) < 4:
            return None
        size, offset = int.from_bytes(buffer[2:4], "big"), 4
    elif size == 127:
        if len(buffer) < 10:
            return None
        size, offset = int.from_bytes(buffer[2:10], "big"), 10
    key = b""
    if second & 0x80:
        key, offset = bytes(buffer[offset : offset + 4]), offset + 4
    end = offset + size
    if len(buffer) < end:
        return None
    payload = bytes(buffer[offset:end])
    del buffer[:end]
    return (
        bool(first & 0x80),
        bool(first & 0x40),
        first & 0x0F,
        _mask(payload, key) if key else payload,
    )


class WebSocketClient:
    """A client WebSocket: masked text frames out, whole messages in (deflated ones inflated)."""

    def __init__(self, stream: _Stream, deflated: bool) -> None:
        self._stream = stream
        self._inflater = zlib.decompressobj(-zlib.MAX_WBITS) if deflated else None
        self.deflated = deflated
        self.close_code: int | None = None

    @classmethod
    async def connect(
        cls, port: int, path: str, headers: Mapping[str, str], *, deflate: bool
    ) -> WebSocketClient:
        stream = await _open(port)
        try:
            return await cls._handshake(stream, port, path, headers, deflate=deflate)
        except BaseException:
            stream.abort()
            raise

    @classmethod
    async def _handshake(
        cls, stream: _Stream, port: int, path: str, headers: Mapping[str, str], *, deflate: bool
    ) -> WebSocketClient:
        key = base64.b64encode(os.urandom(16)).decode()
        lines = [
            f"GET {path} HTTP/1.1",
            f"Host: 127.0.0.1:{port}",
            "Upgrade: websocket",
            "Connection: Upgrade",
            f"Sec-WebSocket-Key: {key}",
            "Sec-WebSocket-Version: 13",
        ]
        if deflate:
            lines.append(f"Sec-WebSocket-Extensions: {WEBSOCKETS_DEFAULT_DEFLATE_OFFER}")
        lines += [f"{name}: {value}" for name, value in headers.items()]
        stream.write(("\r\n".join(lines) + "\r\n\r\n").encode())
        try:
            head = await stream.head()
        except ConnectionError as exc:
            raise ReplyError(f"the server closed the connection in the handshake: {exc}") from exc
        if _status(head) != 101:
            raise ReplyError(f"the handshake was refused: {head.splitlines()[0]!r}")
        accept = base64.b64encode(
            hashlib.sha1((key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11").encode()).digest()  # noqa: S324 - RFC 6455
        )
        if _header(head, b"sec-websocket-accept") != accept:
            raise ReplyError("the handshake's Sec-WebSocket-Accept is wrong")
        extensions = _header(head, b"sec-websocket-extensions") or b""
        return cls(stream, deflated=b"permessage-deflate" in extensions)

    def _send(self, opcode: int, payload: bytes) -> None:
        size = len(payload)
        if size < 126:
            header = bytes((0x80 | opcode, 0x80 | size))
        elif size < 65536:
            header = bytes((0x80 | opcode, 0x80 | 126)) + size.to_bytes(2, "big")
        else:
            header = bytes((0x80 | opcode, 0x80 | 127)) + size.to_bytes(8, "big")
        key = os.urandom(4)
        self._stream.write(header + key + _mask(payload, key))

    def send_text(self, text: str) -> None:
        self._send(0x1, text.encode())

    async def receive(self) -> bytes:
        """The next data message; pings are answered, a close frame raises ConnectionError."""
        stream, fragments, compressed = self._stream, [], False
        while True:
            frame = _take_frame(stream.buffer)
            if frame is None:
                await stream.more()
                continue
            fin, rsv1, opcode, payload = frame
            if opcode == 0x8:
                self.close_code = int.from_bytes(payload[:2], "big") if payload else 1005
                raise ConnectionError(
                    f"the server closed the WebSocket ({self.close_code} "
                    f"{payload[2:].decode(errors='replace')})"
                )
            if opcode == 0x9:
                self._send(0xA, payload)
                continue
            if opcode == 0xA:
                continue
            if opcode != 0x0:
                compressed = rsv1
            fragments.append(payload)
            if fin:
                break
        message = b"".join(fragments)
        if compressed:
            if self._inflater is None:
                raise ReplyError("a compressed message on a connection without permessage-deflate")
            message = self._inflater.decompress(message + b"\x00\x00\xff\xff")
        return message

    async def close(self) -> None:
        """Send a close frame and wait briefly for the server to hang up."""
        stream = self._stream
        with contextlib.suppress(ConnectionError, TimeoutError):
            self._send(0x8, (1000).to_bytes(2, "big"))
            async with asyncio.timeout(CLOSE_TIMEOUT):
                while not stream.closed:
                    await stream.more()
        stream.abort()


# ---------------------------------------------------------------------------------------------
# Processes: /proc readings, servers pinned to a CPU


def cpu_ticks(pid: int) -> int:
    """utime + stime of a process, in clock ticks."""
    text = Path(f"/proc/{pid}/stat").read_text()
    fields = text[text.rindex(")") + 2 :].split()
    return int(fields[11]) + int(fields[12])


TICK = 1.0 / os.sysconf("SC_CLK_TCK")


def rss_kib(pid: int) -> int:
    """The resident set size of a process, in KiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise BenchError(f"/proc/{pid}/status has no VmRSS")


def _children(pid: int) -> list[int]:
    children: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                children += [int(child) for child in (task / "children").read_text().split()]
    return children


def serving_pid(leader: int) -> int:
    """The process that serves: the deepest descendant of ``leader`` (uv runs it as a child)."""
    pid = leader
    while True:
        children = _children(pid)
        if not children:
            return pid
        pid = children[-1]


@dataclass(frozen=True)
class Cpus:
    """Where the servers and this client run; None: unpinned (fewer than two CPUs allowed)."""

    server: int | None
    client: int | None

    @classmethod
    def choose(cls) -> Cpus:
        allowed = sorted(os.sched_getaffinity(0))
        if len(allowed) < 2 or shutil.which("taskset") is None:
            return cls(None, None)
        return cls(allowed[0], allowed[1])

    def server_argv(self, argv: Sequence[str]) -> list[str]:
        return list(argv) if self.server is None else ["taskset", "-c", str(self.server), *argv]

    @contextlib.contextmanager
    def client_pinned(self) -> Iterator[None]:
        """Pin this process to the client CPU, and restore its affinity afterwards."""
        if self.client is None:
            yield
            return
        before = os.sched_getaffinity(0)
        os.sched_setaffinity(0, {self.client})
        try:
            yield
        finally:
            os.sched_setaffinity(0, before)

    def describe(self) -> str:
        if self.server is None:
            return "unpinned (fewer than two CPUs or no taskset)"
        return f"servers on CPU {self.server}, client on CPU {self.client}"


# uvicorn's arguments for each baseline (modules of bench_apps/).
BASELINE_APPS: dict[str, tuple[str, ...]] = {
    "fastapi": ("bench_fastapi_sqlmodel:app",),
    "starlette": ("bench_starlette_echo:app",),
}


@dataclass
class Target:
    """A server the workloads run against: the rendered service (one variant) or a baseline."""

    label: str
    app: App
    project: Project
    env: dict[str, str]
    author_ids: tuple[int, ...] = ()
    pkg_ids: dict[str, int] = field(default_factory=dict)  # PkgID's members (rendered only)
    statuses: dict[str, int] = field(default_factory=dict)  # RSPCode's members (rendered only)

    def process(self, port: int, log: Path, cpus: Cpus) -> ServiceProcess:
        """The server's process in the project's venv: the service's own entry point, or uvicorn
        with a baseline app."""
        if self.app == "rendered":
            # Served as in production: its __main__ (the edge's uvicorn options, among them
            # permessage-deflate as EDGE_WS_PER_MESSAGE_DEFLATE says).
            env = {**self.env, **RATE_LIMIT_ENV, "APP_HOST": "127.0.0.1", "APP_PORT": str(port)}
            process = ServiceProcess(
                name=f"{self.label} on 127.0.0.1:{port}",
                argv=["uv", "run", "--no-sync", "python", "-m", self.project.module],
                log_path=log,
                base_env=self.project.environ(env),
                cwd=self.project.root,
            )
        else:
            process = ServiceProcess(
                name=f"{self.label} on 127.0.0.1:{port}",
                argv=[
                    *("uv", "run", "--no-sync", "uvicorn", "--app-dir", str(APPS_DIR)),
                    *BASELINE_APPS[self.app],
                    *("--host", "127.0.0.1", "--port", str(port)),
                ],
                log_path=log,
                base_env=self.project.environ(self.env),
                cwd=self.project.root,
            )
        return dataclasses.replace(process, argv=cpus.server_argv(process.argv))

    def ready(self, port: int) -> bool:
        if self.app == "starlette":
            return port_open(port)
        path = "/health/live" if self.app == "rendered" else "/health"
        return httpx.get(f"http://127.0.0.1:{port}{path}", timeout=2).status_code == 200

    def token(self) -> str:
        return fetch_token(self.env, self.project, USER) if self.app == "rendered" else ""


@dataclass(frozen=True)
class Server:
    target: Target
    port: int
    pid: int  # the serving process, for /proc readings
    token: str  # a fresh access token of USER (rendered service only)


@contextlib.contextmanager
def serving(target: Target, logs: Path, cpus: Cpus) -> Iterator[Server]:
    """Start ``target`` on a free port, wait until it answers, and stop it afterwards."""
    port = free_port()
    logs.mkdir(parents=True, exist_ok=True)
    log = logs / f"{re.sub(r'[^A-Za-z0-9_.=-]+', '-', target.label).strip('-')}-{port}.log"
    process = target.process(port, log, cpus)
    try:
        process.start()
        process.wait_ready(lambda: target.ready(port), timeout=SERVER_START_TIMEOUT)
        yield Server(target, port, serving_pid(process.pid), target.token())
    finally:
        process.stop()


# ---------------------------------------------------------------------------------------------
# Workloads


@dataclass(frozen=True, slots=True)
class Call:
    """One request of a closed-loop connection: what its frame or path is made from."""

    server: Server
    tag: str  # the run's: the first 24 characters of a random UUID, "xxxxxxxx-xxxx-4xxx-yxxx-"
    conn: int
    seq: int

    @property
    def req_id(self) -> str:
        """A UUID unique to the request (cheaper than uuid4 per frame)."""
        return f"{self.tag}{self.conn:04x}{self.seq:08x}"

    @property
    def author_id(self) -> int:
        """A seeded author, a different one from request to request."""
        ids = self.server.target.author_ids
        return ids[(self.conn * 7919 + self.seq) % len(ids)]

    @property
    def unique_name(self) -> str:
        return f"bench {self.tag}{self.conn}-{self.seq}"


def run_tag() -> str:
    return str(uuid.uuid4())[:24]


@dataclass(frozen=True)
class Exchange:
    """One side of a workload: how a connection talks to its server."""

    protocol: Literal["ws", "http"]
    path: str  # the WebSocket's path; unused for HTTP (the request gives the path)
    request: Callable[[Call], tuple[str, Check]]  # the frame (or the HTTP path), its check
    auth: bool = True


@dataclass(frozen=True)
class Workload:
    name: str
    what: str
    unit: str
    rendered: Exchange
    baseline: Exchange
    baseline_app: App


def _json_object(body: bytes) -> dict[str, Any]:
    value = json.loads(body)
    if not isinstance(value, dict):
        raise ReplyError(f"not a JSON object: {body[:200]!r}")
    return value


def _package(
    call: Call, name: str | None, data: dict[str, Any], author_id: int | None = None
) -> tuple[str, Check]:
    """A frame of the rendered service's protocol (``name`` None: an unknown pkg_id), its check."""
    target, req_id = call.server.target, call.req_id
    pkg_id = UNKNOWN_PKG_ID if name is None else target.pkg_ids[name]
    status = target.statuses["UNKNOWN_PACKAGE" if name is None else "OK"]
    frame = json.dumps({"pkg_id": pkg_id, "req_id": req_id, "data": data})

    def check(body: bytes) -> str | None:
        reply = _json_object(body)
        if reply.get("req_id") != req_id or reply.get("status_code") != status:
            return f"expected status_code {status} for {req_id}: {body[:300]!r}"
        if author_id is not None and reply["data"].get("id") != author_id:
            return f"expected author {author_id}: {body[:300]!r}"
        return None

    return frame, check


def _bare(op: dict[str, Any], expect: Callable[[Any], bool]) -> tuple[str, Check]:
    """A frame of the bare FastAPI app's WebSocket, and its check."""

    def check(body: bytes) -> str | None:
        return None if expect(json.loads(body)) else f"unexpected reply to {op}: {body[:300]!r}"

    return json.dumps(op), check


def _has_id(author_id: int | None = None) -> Callable[[Any], bool]:
    def expect(reply: Any) -> bool:
        if not isinstance(reply, dict) or not isinstance(reply.get("id"), int):
            return False
        return author_id is None or reply["id"] == author_id

    return expect


def _is_page(reply: Any) -> bool:
    return isinstance(reply, dict) and isinstance(reply.get("data"), list) and bool(reply["data"])


def _ok(body: bytes) -> str | None:
    return None


def _echo(call: Call) -> tuple[str, Check]:
    """The frame the rendered service gets in ws-frame, checked to come back unchanged."""
    frame = f'{{"pkg_id": {UNKNOWN_PKG_ID}, "req_id": "{call.req_id}", "data": {{}}}}'
    expected = frame.encode()
    return frame, lambda body: None if body == expected else f"not an echo: {body[:300]!r}"


def _http_author(call: Call) -> tuple[str, Check]:
    author_id = call.author_id

    def check(body: bytes) -> str | None:
        ok = _has_id(author_id)(json.loads(body))
        return None if ok else f"expected author {author_id}: {body[:300]!r}"

    return f"/authors/{author_id}", check


WORKLOADS: tuple[Workload, ...] = (
    Workload(
        name="health",
        what="HTTP GET /health/live vs a bare FastAPI /health",
        unit="req/s",
        rendered=Exchange("http", "", lambda call: ("/health/live", _ok), auth=False),
        baseline=Exchange("http", "", lambda call: ("/health", _ok), auth=False),
        baseline_app="fastapi",
    ),
    Workload(
        name="ws-frame",
        what="authenticated WS frame, unknown pkg_id (no database) vs a bare Starlette echo",
        unit="msg/s",
        rendered=Exchange("ws", "/web", lambda call: _package(call, None, {})),
        baseline=Exchange("ws", "/ws", _echo, auth=False),
        baseline_app="starlette",
    ),
    Workload(
        name="ws-read",
        what="WS GET_AUTHOR by primary key vs a bare FastAPI + SQLModel WS read",
        unit="msg/s",
        rendered=Exchange(
            "ws",
            "/web",
            lambda call: _package(call, "GET_AUTHOR", {"id": call.author_id}, call.author_id),
        ),
        baseline=Exchange(
            "ws",
            "/ws",
            lambda call: _bare({"op": "get", "id": call.author_id}, _has_id(call.author_id)),
            auth=False,
        ),
        baseline_app="fastapi",
    ),
    Workload(
        name="http-read",
        what="HTTP GET /authors/{id} with a bearer token vs a bare FastAPI + SQLModel GET",
        unit="req/s",
        rendered=Exchange("http", "", _http_author),
        baseline=Exchange("http", "", _http_author, auth=False),
        baseline_app="fastapi",
    ),
    Workload(
        name="ws-page",
        what="WS GET_AUTHORS, a cursor page of 20 vs a bare FastAPI + SQLModel WS list",
        unit="msg/s",
        rendered=Exchange("ws", "/web", lambda call: _package(call, "GET_AUTHORS", {"limit": 20})),
        baseline=Exchange(
            "ws", "/ws", lambda call: _bare({"op": "list", "limit": 20}, _is_page), auth=False
        ),
        baseline_app="fastapi",
    ),
    Workload(
        name="ws-write",
        what="WS CREATE_AUTHOR, unique names vs a bare FastAPI + SQLModel WS insert",
        unit="msg/s",
        rendered=Exchange(
            "ws",
            "/web",
            lambda call: _package(call, "CREATE_AUTHOR", {"name": call.unique_name}),
        ),
        baseline=Exchange(
            "ws",
            "/ws",
            lambda call: _bare({"op": "create", "name": call.unique_name}, _has_id()),
            auth=False,
        ),
        baseline_app="fastapi",
    ),
)


class _Session:
    """One closed-loop connection of a run."""

    def __init__(
        self,
        server: Server,
        exchange: Exchange,
        tag: str,
        conn: int,
        client: WebSocketClient | HttpClient,
    ) -> None:
        self._server, self._exchange, self._tag, self._conn = server, exchange, tag, conn
        self._client = client

    @classmethod
    async def open(cls, server: Server, exchange: Exchange, tag: str, conn: int) -> _Session:
        headers = {"Authorization": f"Bearer {server.token}"} if exchange.auth else {}
        client: WebSocketClient | HttpClient
        if exchange.protocol == "ws":
            client = await WebSocketClient.connect(
                server.port, exchange.path, headers, deflate=False
            )
        else:
            client = await HttpClient.connect(server.port, headers)
        return cls(server, exchange, tag, conn, client)

    async def call(self, seq: int) -> None:
        request, check = self._exchange.request(Call(self._server, self._tag, self._conn, seq))
        client = self._client
        if isinstance(client, WebSocketClient):
            client.send_text(request)
            body = await client.receive()
            while b'"auth_ok"' in body[:40]:  # the service may confirm the token first
                body = await client.receive()
        else:
            status, body = await client.get(request)
            if status != 200:
                raise ReplyError(f"GET {request} answered {status}: {body[:300]!r}")
        problem = check(body)
        if problem is not None:
            raise ReplyError(problem)

    async def close(self) -> None:
        await self._client.close()


@dataclass(frozen=True)
class RunResult:
    """One workload against one server for one round."""

    round: int
    workload: str
    target: str
    unit: str
    replies: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float
    server_cpu_us: float  # per reply
    server_cpu_pct: float
    client_cpu_pct: float
    error_samples: tuple[str, ...] = ()

    @property
    def rate(self) -> float:
        return self.replies / self.seconds if self.seconds > 0 else 0.0


@dataclass
class _Tally:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    samples: list[str] = field(default_factory=list)

    def fail(self, message: str) -> None:
        self.errors += 1
        if len(self.samples) < 3:
            self.samples.append(message[:400])


def _percentile(values: Sequence[float], fraction: float) -> float:
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def _close_all(closers: Sequence[Callable[[], Any]]) -> None:
    tasks = [asyncio.ensure_future(close()) for close in closers]
    if tasks:
        _, pending = await asyncio.wait(tasks, timeout=CLOSE_TIMEOUT + 1)
        for task in pending:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)


async def closed_loop(
    server: Server, exchange: Exchange, options: BenchOptions, round_: int, workload: Workload
) -> RunResult:
    """Drive ``options.connections`` closed-loop connections through a warm-up and a run."""
    tally = _Tally()
    tag = run_tag()

    async def connect(conn: int) -> _Session | None:
        try:
            async with asyncio.timeout(CONNECT_TIMEOUT):
                return await _Session.open(server, exchange, tag, conn)
        except Exception as exc:
            tally.fail(f"connect: {type(exc).__name__}: {exc}")
            return None

    sessions = [s for s in await asyncio.gather(*map(connect, range(options.connections))) if s]
    begin = time.perf_counter()
    measure_from, measure_to = begin + options.warmup, begin + options.warmup + options.duration

    async def drive(conn: int, session: _Session) -> None:
        seq = 0
        while True:
            sent = time.perf_counter()
            if sent >= measure_to:
                return
            try:
                await session.call(seq)
            except Exception as exc:
                tally.fail(f"{type(exc).__name__}: {exc}")
                return
            done = time.perf_counter()
            if measure_from <= done <= measure_to:
                tally.latencies.append(done - sent)
            seq += 1

    async def sample() -> tuple[tuple[int, float, float], tuple[int, float, float]]:
        await asyncio.sleep(max(0.0, measure_from - time.perf_counter()))
        before = (cpu_ticks(server.pid), time.process_time(), time.perf_counter())
        await asyncio.sleep(max(0.0, measure_to - time.perf_counter()))
        after = (cpu_ticks(server.pid), time.process_time(), time.perf_counter())
        return before, after

    sampler = asyncio.create_task(sample())
    drivers = [asyncio.create_task(drive(conn, s)) for conn, s in enumerate(sessions)]
    try:
        if drivers:
            _, pending = await asyncio.wait(
                drivers, timeout=options.warmup + options.duration + REPLY_GRACE
            )
            for task in pending:
                task.cancel()
                tally.fail(f"no reply within {REPLY_GRACE:g}s after the run")
            await asyncio.gather(*drivers, return_exceptions=True)
        before, after = await sampler
    finally:
        sampler.cancel()
        await _close_all([s.close for s in sessions])
    seconds = after[2] - before[2]
    replies = len(tally.latencies)
    server_cpu = (after[0] - before[0]) * TICK
    return RunResult(
        round=round_,
        workload=workload.name,
        target=server.target.label,
        unit=workload.unit,
        replies=replies,
        errors=tally.errors,
        seconds=seconds,
        p50_ms=_percentile(tally.latencies, 0.5) * 1e3,
        p99_ms=_percentile(tally.latencies, 0.99) * 1e3,
        server_cpu_us=server_cpu * 1e6 / replies if replies else math.nan,
        server_cpu_pct=100 * server_cpu / seconds if seconds > 0 else math.nan,
        client_cpu_pct=100 * (after[1] - before[1]) / seconds if seconds > 0 else math.nan,
        error_samples=tuple(tally.samples),
    )


# ---------------------------------------------------------------------------------------------
# Idle connection memory


@dataclass(frozen=True)
class MemoryResult:
    round: int
    target: str
    deflate: bool
    connections: int  # opened and answered
    errors: int
    before_kib: int
    after_kib: int
    error_samples: tuple[str, ...] = ()
    # Connections on which the server accepted the permessage-deflate offer.
    deflated: int = 0

    @property
    def per_connection_kib(self) -> float:
        if not self.connections:
            return math.nan
        return (self.after_kib - self.before_kib) / self.connections


async def idle_memory(server: Server, count: int, *, deflate: bool, round_: int) -> MemoryResult:
    """RSS before and after ``count`` idle WebSocket connections, each answered once."""
    tally = _Tally()
    rendered = server.target.app == "rendered"
    headers = {"Authorization": f"Bearer {server.token}"} if rendered else {}
    path = "/web" if rendered else "/ws"

    tag = run_tag()
    accepted = [0]

    async def open_one(conn: int) -> WebSocketClient | None:
        client: WebSocketClient | None = None
        try:
            async with asyncio.timeout(CONNECT_TIMEOUT):
                client = await WebSocketClient.connect(server.port, path, headers, deflate=deflate)
                call = Call(server, tag, conn, 0)
                frame, check = _package(call, None, {}) if rendered else _echo(call)
                client.send_text(frame)
                body = await client.receive()
                while b'"auth_ok"' in body[:40]:
                    body = await client.receive()
                problem = check(body)
                if problem is not None:
                    raise ReplyError(problem)
                # A server may decline the offer (the rendered service does by default).
                accepted[0] += client.deflated
                return client
        except Exception as exc:
            tally.fail(f"{type(exc).__name__}: {exc}")
            if client is not None:
                await client.close()
            return None

    async def open_many(first: int, total: int) -> list[WebSocketClient]:
        opened: list[WebSocketClient] = []
        for start in range(first, first + total, IDLE_BATCH):
            batch = range(start, min(first + total, start + IDLE_BATCH))
            opened += [c for c in await asyncio.gather(*map(open_one, batch)) if c is not None]
        return opened

    # Warm the code paths of a connection first, so that the reading counts connections only.
    warm = await open_many(count, min(5, count))
    await _close_all([client.close for client in warm])
    accepted[0] = 0
    await asyncio.sleep(SETTLE)
    before = rss_kib(server.pid)
    clients: list[WebSocketClient] = []
    try:
        clients = await open_many(0, count)
        await asyncio.sleep(SETTLE)
        after = rss_kib(server.pid)
    finally:
        await _close_all([client.close for client in clients])
    return MemoryResult(
        round=round_,
        target=server.target.label,
        deflate=deflate,
        connections=len(clients),
        errors=tally.errors,
        before_kib=before,
        after_kib=after,
        error_samples=tuple(tally.samples),
        deflated=accepted[0],
    )


# ---------------------------------------------------------------------------------------------
# Cold start


@dataclass(frozen=True)
class ColdStart:
    label: str
    command: str
    seconds: tuple[float, ...]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


BARE_IMPORTS = "import fastapi, sqlmodel, sqlalchemy.ext.asyncio, redis.asyncio, asyncpg"


def cold_starts(
    commands: Sequence[tuple[str, Project, dict[str, str], str]], runs: int, cpus: Cpus
) -> list[ColdStart]:
    """Median wall time of each ``python -c CODE`` in its project's venv; runs alternate."""
    times: dict[str, list[float]] = {label: [] for label, *_ in commands}
    for attempt in range(runs + 1):  # the first writes the bytecode caches and is not counted
        for label, project, env, code in commands:
            environ = project.environ(env)
            environ.pop("PYTHONDONTWRITEBYTECODE", None)
            python = project.root / ".venv" / "bin" / "python"
            started = time.perf_counter()
            result = subprocess.run(
                cpus.server_argv([str(python), "-c", code]),
                cwd=project.root,
                env=environ,
                capture_output=True,
                text=True,
                timeout=COLD_START_TIMEOUT,
                check=False,
            )
            elapsed = time.perf_counter() - started
            if result.returncode != 0:
                raise BenchError(f"cold start of {label} failed: {result.stderr[-3000:]}")
            if attempt:
                times[label].append(elapsed)
    return [ColdStart(label, code, tuple(times[label])) for label, _, _, code in commands]


# ---------------------------------------------------------------------------------------------
# The report


def _ratio(numerator: float, denominator: float) -> float:
    if denominator <= 0 or math.isnan(denominator) or math.isnan(numerator):
        return math.nan
    return numerator / denominator


def _median(values: Sequence[float]) -> float:
    finite = [value for value in values if not math.isnan(value)]
    return statistics.median(finite) if finite else math.nan


@dataclass
class BenchReport:
    """Every run's numbers; the summary takes medians over rounds."""

    options: BenchOptions
    rendered: list[str] = field(default_factory=list)  # the rendered targets' labels
    runs: list[RunResult] = field(default_factory=list)
    memory: list[MemoryResult] = field(default_factory=list)
    cold: list[ColdStart] = field(default_factory=list)
    baselines: dict[str, str] = field(default_factory=dict)  # workload -> baseline label

    def run(self, workload: str, target: str, round_: int) -> RunResult | None:
        for result in self.runs:
            if (result.workload, result.target, result.round) == (workload, target, round_):
                return result
        return None

    def ratio(self, workload: str, target: str, round_: int) -> float:
        """Throughput ratio to the baseline in one round (NaN when either run is missing)."""
        mine = self.run(workload, target, round_)
        base = self.run(workload, self.baselines[workload], round_)
        return math.nan if mine is None or base is None else _ratio(mine.rate, base.rate)

    def ratios(self, workload: str, target: str) -> list[float]:
        """Throughput ratio to the baseline, per round."""
        return [
            self.ratio(workload, target, round_) for round_ in range(1, self.options.rounds + 1)
        ]

    def cpu_ratio(self, workload: str, target: str) -> float:
        per_round = []
        for round_ in range(1, self.options.rounds + 1):
            mine = self.run(workload, target, round_)
            base = self.run(workload, self.baselines[workload], round_)
            if mine is not None and base is not None:
                per_round.append(_ratio(mine.server_cpu_us, base.server_cpu_us))
        return _median(per_round)

    def memory_kib(self, target: str, deflate: bool) -> float:
        return _median(
            [
                m.per_connection_kib
                for m in self.memory
                if (m.target, m.deflate) == (target, deflate)
            ]
        )

    def cold_start(self, label: str) -> ColdStart | None:
        return next((cold for cold in self.cold if cold.label == label), None)

    def problems(self) -> list[str]:
        """What makes the numbers unusable: no replies, errors, ratios that are not finite."""
        found = []
        for result in self.runs:
            where = f"round {result.round} {result.workload} on {result.target}"
            if result.replies <= 0:
                found.append(f"{where}: no replies {list(result.error_samples)}")
            if result.errors:
                found.append(f"{where}: {result.errors} errors {list(result.error_samples)}")
        for workload in WORKLOADS:
            for target in self.rendered:
                ratios = self.ratios(workload.name, target)
                if len(ratios) != self.options.rounds or not all(map(math.isfinite, ratios)):
                    found.append(f"{workload.name} on {target}: ratios {ratios}")
        for memory in self.memory:
            where = (
                f"round {memory.round} idle memory on {memory.target} (deflate {memory.deflate})"
            )
            if memory.errors or memory.connections != self.options.idle_connections:
                found.append(
                    f"{where}: {memory.connections} connections, {memory.errors} errors "
                    f"{list(memory.error_samples)}"
                )
        return found


def _number(value: float, digits: int = 0) -> str:
    return "n/a" if math.isnan(value) else f"{value:,.{digits}f}"


def _times(value: float) -> str:
    return "n/a" if math.isnan(value) else f"{value:.2f}x"


def run_line(result: RunResult) -> str:
    line = (
        f"round {result.round} {result.workload:<9} {result.target:<30} "
        f"{_number(result.rate, 1):>10} {result.unit}  p50 {_number(result.p50_ms, 2):>7} ms  "
        f"p99 {_number(result.p99_ms, 2):>7} ms  server {_number(result.server_cpu_us):>6} µs/req "
        f"({_number(result.server_cpu_pct)}% CPU)  client {_number(result.client_cpu_pct)}% CPU"
    )
    return _with_errors(line, result.errors, result.error_samples)


def _with_errors(line: str, errors: int, samples: Sequence[str]) -> str:
    return f"{line}  ERRORS {errors}: {samples[0]}" if errors else line


def memory_line(result: MemoryResult) -> str:
    line = (
        f"round {result.round} idle-ws   {result.target:<30} "
        f"{'deflate offered' if result.deflate else 'no compression':<15}  "
        f"{result.connections} connections  RSS {result.before_kib:,} -> {result.after_kib:,} KiB"
        f"  {_number(result.per_connection_kib, 1)} KiB/connection"
        + (f"  (deflate accepted on {result.deflated})" if result.deflate else "")
    )
    return _with_errors(line, result.errors, result.error_samples)


def summary(report: BenchReport) -> str:
    """The table of medians over rounds, with each rendered service's ratios to its baseline."""
    rows = [
        "workload   target                           rate/s    p50 ms   p99 ms  srv µs/req  "
        "srv CPU  cli CPU   vs baseline  CPU/req vs baseline",
    ]
    for workload in WORKLOADS:
        base = report.baselines[workload.name]
        for target in [*report.rendered, base]:
            results = [r for r in report.runs if (r.workload, r.target) == (workload.name, target)]
            if not results:
                continue
            is_base = target == base
            ratio = "baseline" if is_base else _times(_median(report.ratios(workload.name, target)))
            cpu = "" if is_base else _times(report.cpu_ratio(workload.name, target))
            rows.append(
                f"{workload.name if target == report.rendered[0] else '':<10} {target:<30} "
                f"{_number(_median([r.rate for r in results])):>8}  "
                f"{_number(_median([r.p50_ms for r in results]), 2):>8} "
                f"{_number(_median([r.p99_ms for r in results]), 2):>8} "
                f"{_number(_median([r.server_cpu_us for r in results])):>11} "
                f"{_number(_median([r.server_cpu_pct for r in results])):>7}% "
                f"{_number(_median([r.client_cpu_pct for r in results])):>7}%   "
                f"{ratio:>11}  {cpu:>19}"
            )
    rows.append(
        "vs baseline: throughput ratio, the median of the rounds' ratios (below 1: slower than "
        "the baseline); CPU/req vs baseline: the server's CPU per request, as a ratio (above 1: "
        "costlier)"
    )
    rows.append("")
    rows.append(
        f"idle WebSocket connections ({report.options.idle_connections}), server RSS per "
        "connection, KiB (median over rounds)"
    )
    width = max(32, *(len(target) + 13 for target in report.rendered))
    rows.append(f"{'target':<{width}} {'deflate offered':>16} {'no compression':>16}")
    for target in [*report.rendered, "bare Starlette"]:
        on, off = report.memory_kib(target, True), report.memory_kib(target, False)
        rows.append(f"{target:<{width}} {_number(on, 1):>16} {_number(off, 1):>16}")
    base_on = report.memory_kib("bare Starlette", True)
    base_off = report.memory_kib("bare Starlette", False)
    for target in report.rendered:
        on = _ratio(report.memory_kib(target, True), base_on)
        off = _ratio(report.memory_kib(target, False), base_off)
        rows.append(f"{target + ' vs baseline':<{width}} {_times(on):>16} {_times(off):>16}")
    if report.cold:
        rows.append("")
        rows.append(f"cold start (median of {report.options.cold_starts} runs, seconds)")
        bare = report.cold_start("bare imports")
        for cold in report.cold:
            vs = "" if bare is None or cold is bare else _times(_ratio(cold.median, bare.median))
            rows.append(f"{cold.label:<{width}} {cold.median:>8.3f}  {vs}".rstrip())
    return "\n".join(row.rstrip() for row in rows)


# ---------------------------------------------------------------------------------------------
# Setting up: render, install, provision, migrate, seed


def enum_members(project: Project, module: str, name: str) -> dict[str, int]:
    """An IntEnum's members, read from a rendered module (``ws/protocol.py``, say)."""
    path = project.root / "src" / project.module / module
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ClassDef) and node.name == name:
            members = {}
            for statement in node.body:
                if (
                    isinstance(statement, ast.Assign)
                    and isinstance(statement.targets[0], ast.Name)
                    and isinstance(statement.value, ast.Constant)
                    and isinstance(statement.value.value, int)
                ):
                    members[statement.targets[0].id] = statement.value.value
            return members
    raise BenchError(f"no class {name} in {path}")


def prepare_project(directory: Path, answers: Answers) -> Project:
    """Render ``answers`` into ``directory`` unless it already holds them, then install it."""
    if (directory / ".copier-answers.yml").is_file():
        project = Project(directory)
        differ = {k: v for k, v in answers.items() if project.answers.get(k) != v}
        if differ:
            raise BenchError(
                f"{directory} holds a project rendered with other answers ({differ} differ): "
                "give --dir an empty or a bench workspace"
            )
    elif directory.exists() and any(directory.iterdir()):
        raise BenchError(f"{directory} is neither empty nor a rendered project")
    else:
        render(answers, directory)
        project = Project(directory)
    project.sync(compile_bytecode=True)
    return project


def seed(target: Target, count: int, logs: Path, cpus: Cpus) -> tuple[int, ...]:
    """Create ``count`` authors through the rendered service's HTTP API; their ids."""
    with serving(target, logs, cpus) as server:
        base = f"http://127.0.0.1:{server.port}"
        deadline = time.monotonic() + 30
        while True:
            ready = httpx.get(f"{base}/health/ready", timeout=10)
            if ready.status_code == 200:
                break
            if time.monotonic() > deadline:
                raise BenchError(f"{target.label} is not ready: {ready.text}")
            time.sleep(0.5)
        headers = {"Authorization": f"Bearer {server.token}"}
        ids = []
        run = uuid.uuid4().hex[:10]
        with httpx.Client(base_url=base, headers=headers, timeout=10) as client:
            for index in range(count):
                body = {"name": f"bench seed {run} {index}", "bio": "x" * 100}
                response = client.post("/authors", json=body)
                if response.status_code != 201:
                    raise BenchError(f"seeding failed: {response.status_code} {response.text}")
                ids.append(int(response.json()["id"]))
            check = client.get(f"/authors/{ids[0]}")
            if check.status_code != 200:
                raise BenchError(f"reading a seeded author failed: {check.text}")
        return tuple(ids)


class _Background(threading.Thread):
    """A daemon thread whose result or exception ``result()`` hands back."""

    def __init__(self, work: Callable[[], list[Project]]) -> None:
        super().__init__(daemon=True)
        self._work = work
        self._result: list[Project] | None = None
        self._error: BaseException | None = None

    def run(self) -> None:
        try:
            self._result = self._work()
        except BaseException as exc:
            self._error = exc

    def result(self) -> list[Project]:
        while self.is_alive():
            self.join(timeout=0.5)
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result


# ---------------------------------------------------------------------------------------------
# The benchmark


def run_bench(
    options: BenchOptions,
    stack: NativeStack | ComposeStack | None = None,
    out: Callable[[str], None] = print,
) -> BenchReport:
    """Run the benchmark; services come from ``stack``, or from a stack started (and stopped)
    here. Every server this starts is stopped before it returns or raises."""
    options.check()
    workspace = options.directory or Path(tempfile.mkdtemp(prefix="harness-bench-"))
    workspace = workspace.resolve()
    workspace.mkdir(parents=True, exist_ok=True)
    variants = [DEFAULT_ANSWERS, *({**DEFAULT_ANSWERS, **c} for c in options.compare)]
    names = ["default", *(f"compare-{i}" for i in range(1, len(variants)))]
    out(f"# bench workspace {workspace}")
    install = _Background(
        lambda: [prepare_project(workspace / n, a) for n, a in zip(names, variants, strict=True)]
    )
    install.start()
    own_stack = stack is None
    stack_dir = Path(tempfile.mkdtemp(prefix="harness-stack-")) if own_stack else None
    if stack is None:
        assert stack_dir is not None
        stack = choose_stack(stack_dir, options.stack_kind)
    try:
        if own_stack and isinstance(stack, NativeStack):
            out("# starting PostgreSQL, Redis and Keycloak (Keycloak takes a minute)")
            stack.start(postgres=True)
        projects = install.result()
        report = _measure(options, stack, projects, workspace, out)
    except BaseException:
        out(f"# the workspace and the servers' logs are kept in {workspace}")
        raise
    finally:
        if own_stack:
            stack.close()
            if stack_dir is not None:
                shutil.rmtree(stack_dir, ignore_errors=True)
    if options.directory is None:
        shutil.rmtree(workspace, ignore_errors=True)
    return report


def _measure(
    options: BenchOptions,
    stack: NativeStack | ComposeStack,
    projects: list[Project],
    workspace: Path,
    out: Callable[[str], None],
) -> BenchReport:
    logs = workspace / "logs"
    cpus = Cpus.choose()
    started = time.monotonic()
    report = BenchReport(options)
    default = projects[0]
    targets: list[Target] = []
    for index, project in enumerate(projects):
        tag = "bench" if index == 0 else f"bench_compare{index}"
        env = stack.provision(project, tag=tag)
        if project.has_migrations():
            project.migrate(env)
        label = "rendered"
        if index:
            label = f"rendered[{answers_label(options.compare[index - 1])}]"
        target = Target(
            label,
            "rendered",
            project,
            env,
            pkg_ids=enum_members(project, "ws/protocol.py", "PkgID"),
            statuses=enum_members(project, "errors.py", "RSPCode"),
        )
        target.author_ids = seed(target, options.seed_authors, logs, cpus)
        targets.append(target)
        report.rendered.append(label)
    env = targets[0].env
    fastapi = Target("bare FastAPI", "fastapi", default, env, targets[0].author_ids)
    starlette = Target("bare Starlette", "starlette", default, env)
    baselines = {"fastapi": fastapi, "starlette": starlette}
    report.baselines = {w.name: baselines[w.baseline_app].label for w in WORKLOADS}
    out(f"# provisioned, migrated and seeded in {time.monotonic() - started:.0f} s")
    started = time.monotonic()
    load = os.getloadavg()
    out(
        f"# {os.cpu_count()} CPUs, {cpus.describe()}; load average {load[0]:.2f} {load[1]:.2f}; "
        f"{options.rounds} round(s) of {options.warmup:g} s warm-up + {options.duration:g} s "
        f"per run, {options.connections} connections, {options.idle_connections} idle"
    )
    for workload in WORKLOADS:
        out(f"# {workload.name}: {workload.what}")
    with cpus.client_pinned():
        for round_ in range(1, options.rounds + 1):
            sessions: list[tuple[Target, list[Workload]]] = [(t, list(WORKLOADS)) for t in targets]
            sessions += [
                (fastapi, [w for w in WORKLOADS if w.baseline_app == "fastapi"]),
                (starlette, [w for w in WORKLOADS if w.baseline_app == "starlette"]),
            ]
            if round_ % 2 == 0:  # alternate who goes first, so that drift favours no one
                sessions.reverse()
            for target, workloads in sessions:
                with serving(target, logs, cpus) as server:
                    for workload in workloads:
                        exchange = (
                            workload.rendered if target.app == "rendered" else workload.baseline
                        )
                        result = asyncio.run(
                            closed_loop(server, exchange, options, round_, workload)
                        )
                        report.runs.append(result)
                        out(run_line(result))
            for deflate in (True, False):
                for target in [*targets, starlette]:
                    with serving(target, logs, cpus) as server:
                        memory = asyncio.run(
                            idle_memory(
                                server, options.idle_connections, deflate=deflate, round_=round_
                            )
                        )
                    report.memory.append(memory)
                    out(memory_line(memory))
            for workload in WORKLOADS:
                ratios = []
                for target in targets:
                    ratio = report.ratio(workload.name, target.label, round_)
                    ratios.append(f"{target.label} {_times(ratio)}")
                out(
                    f"round {round_} {workload.name:<9} throughput vs baseline: {', '.join(ratios)}"
                )
        commands = [
            (t.label, t.project, t.env, f"import {t.project.module}.main as m; m.create_app()")
            for t in targets
        ]
        commands.append(("bare imports", default, env, BARE_IMPORTS))
        report.cold = cold_starts(commands, options.cold_starts, cpus)
    load = os.getloadavg()
    out(
        f"# measured in {time.monotonic() - started:.0f} s; "
        f"load average {load[0]:.2f} {load[1]:.2f} at the end"
    )
    for cold in report.cold:
        out(f"cold start {cold.label:<30} median {cold.median:.3f} s  ({cold.command})")
    out("")
    out(summary(report))
    problems = report.problems()
    if problems:
        out("")
        out("PROBLEMS:")
        for problem in problems:
            out(f"  {problem}")
    return report


# ---------------------------------------------------------------------------------------------
# Command line


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--rounds", type=int, help="rounds of every workload (default 3)")
    parser.add_argument("--duration", type=float, help="measured seconds per run (default 5)")
    parser.add_argument("--warmup", type=float, help="warm-up seconds per run (default 1)")
    parser.add_argument("--connections", type=int, help="closed-loop connections (default 50)")
    parser.add_argument("--idle", type=int, help="idle WebSocket connections (default 200)")
    parser.add_argument(
        "--compare",
        action="append",
        default=[],
        metavar="ANSWERS",
        help="also measure a variant: answers overriding the default, e.g. audit_log=false "
        "or use_redis=false,audit_log=false (repeatable)",
    )
    parser.add_argument(
        "--dir", type=Path, help="a workspace to keep and reuse between runs (default: temporary)"
    )
    parser.add_argument(
        "--smoke", action="store_true", help="1 round of 1 s, 5 connections, 20 idle (for CI)"
    )
    parser.add_argument("--stack", choices=["native", "compose"], default=None)


def options_from(args: argparse.Namespace) -> BenchOptions:
    given = {
        "rounds": args.rounds,
        "duration": args.duration,
        "warmup": args.warmup,
        "connections": args.connections,
        "idle_connections": args.idle,
    }
    changes: dict[str, Any] = {key: value for key, value in given.items() if value is not None}
    changes["compare"] = tuple(parse_answers(text) for text in args.compare)
    changes["directory"] = args.dir
    changes["stack_kind"] = args.stack
    return BenchOptions.smoke(**changes) if args.smoke else BenchOptions(**changes)


class _StopOnce:
    """A SIGINT/SIGTERM handler: the first signal raises KeyboardInterrupt, later ones are
    ignored, so that a second Ctrl-C (or uv forwarding the first) cannot cut the cleanup short
    and leave a server or a service running."""

    def __init__(self) -> None:
        self.received = 0

    def __call__(self, signum: int, frame: FrameType | None) -> None:
        self.received += 1
        if self.received == 1:
            raise KeyboardInterrupt(f"signal {signum}")
        print("bench: stopping the servers and services, please wait", file=sys.stderr)


def command(args: argparse.Namespace) -> None:
    """``python -m tests.harness bench``: exit 1 when a run failed, 130 when interrupted."""
    stop_once = _StopOnce()
    signal.signal(signal.SIGINT, stop_once)
    signal.signal(signal.SIGTERM, stop_once)
    try:
        report = run_bench(options_from(args))
    except BenchError as exc:
        raise SystemExit(f"bench: {exc}") from exc
    except KeyboardInterrupt:
        print("bench: interrupted; servers and services stopped", file=sys.stderr)
        raise SystemExit(130) from None
    if report.problems():
        raise SystemExit(1)
