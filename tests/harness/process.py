"""A service process started by the harness: its log, its readiness, its end."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path


class ServiceStartError(RuntimeError):
    """A service could not be started; the message names it and shows its log tail."""


def log_tail(path: Path, lines: int = 40) -> str:
    """Return the last ``lines`` lines of a log file, or a note that it is empty."""
    try:
        text = path.read_text(errors="replace")
    except FileNotFoundError:
        return f"(no log at {path})"
    tail = text.splitlines()[-lines:]
    return "\n".join(tail) if tail else f"(empty log at {path})"


@dataclass
class ServiceProcess:
    """One long-running process with its output sent to ``log_path``."""

    name: str
    argv: Sequence[str]
    log_path: Path
    env: Mapping[str, str] | None = None  # added to the base environment
    cwd: Path | None = None
    base_env: Mapping[str, str] | None = None  # the environment to start from (default: ours)
    popen: subprocess.Popen[bytes] | None = field(default=None, init=False)

    def start(self) -> None:
        """Start the process in its own session so that it outlives the harness command."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        environ = dict(os.environ if self.base_env is None else self.base_env)
        if self.env:
            environ.update(self.env)
        with self.log_path.open("ab") as log:
            self.popen = subprocess.Popen(
                list(self.argv),
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env=environ,
                cwd=self.cwd,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        if self.popen is None:
            raise RuntimeError(f"{self.name} was never started")
        return self.popen.pid

    def wait_ready(self, check: Callable[[], bool], timeout: float, interval: float = 0.25) -> None:
        """Poll ``check`` until it is true; raise ServiceStartError on exit or timeout."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.popen is not None and self.popen.poll() is not None:
                raise ServiceStartError(
                    f"{self.name} exited with code {self.popen.returncode} before it was ready; "
                    f"last lines of {self.log_path}:\n{log_tail(self.log_path)}"
                )
            try:
                if check():
                    return
            except Exception:  # noqa: S110 - a failing probe only means "not yet"
                pass
            time.sleep(interval)
        self.stop()
        raise ServiceStartError(
            f"{self.name} was not ready after {timeout:.0f}s; "
            f"last lines of {self.log_path}:\n{log_tail(self.log_path)}"
        )

    def stop(self, timeout: float = 15.0) -> None:
        """Stop the process group: SIGTERM, then SIGKILL after ``timeout``."""
        if self.popen is None or self.popen.poll() is not None:
            return
        stop_pid(self.popen.pid, timeout)
        self.popen.wait(timeout=5)


def pid_alive(pid: int) -> bool:
    """Tell whether a process with ``pid`` still exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def stop_pid(pid: int, timeout: float = 15.0) -> None:
    """Terminate the process group led by ``pid`` (started with start_new_session)."""
    try:
        os.killpg(pid, signal.SIGTERM)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not pid_alive(pid):
            return
        # Reap it when it is our child, so that it does not linger as a zombie.
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pid, signal.SIGKILL)
