"""A throwaway PostgreSQL cluster from the Debian packages, on a free loopback port."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from tests.harness.ports import free_port, port_open
from tests.harness.process import ServiceProcess, ServiceStartError

SUPERUSER = "postgres"
SUPERUSER_PASSWORD = "harness-postgres"  # noqa: S105 - a loopback-only test cluster
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def postgres_bin_dir() -> Path:
    """The newest PostgreSQL server's bin directory, or a clear error when none is installed."""
    candidates = sorted(
        Path("/usr/lib/postgresql").glob("*/bin/postgres"),
        key=lambda path: int(path.parent.parent.name) if path.parent.parent.name.isdigit() else 0,
    )
    if candidates:
        return candidates[-1].parent
    found = shutil.which("postgres")
    if found:
        return Path(found).resolve().parent
    raise ServiceStartError(
        "PostgreSQL server binaries not found (looked in /usr/lib/postgresql/*/bin and PATH); "
        "install them with: apt-get install -y postgresql"
    )


def _make_traversable(path: Path) -> None:
    # The 'postgres' user must reach the data directory through every ancestor; private
    # temporary directories (mode 0700) of ours get the execute bit for others, nothing more.
    for ancestor in [path, *path.parents]:
        info = ancestor.stat()
        if info.st_uid == os.geteuid() and not info.st_mode & 0o001:
            ancestor.chmod(info.st_mode | 0o001)


def _as_owner(argv: list[str]) -> list[str]:
    # PostgreSQL refuses to run as root; the Debian package provides the 'postgres' user.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *argv]
    return argv


class NativePostgres:
    """A cluster in ``workdir`` that trusts its Unix socket and wants passwords over TCP."""

    def __init__(self, workdir: Path, port: int | None = None) -> None:
        self.workdir = workdir
        self.port = port or free_port()
        self.bin_dir = postgres_bin_dir()
        self.data_dir = workdir / "data"
        self.socket_dir = workdir / "socket"
        self.process = ServiceProcess(
            name=f"PostgreSQL on 127.0.0.1:{self.port}",
            argv=_as_owner(
                [
                    str(self.bin_dir / "postgres"),
                    "-D",
                    str(self.data_dir),
                    "-p",
                    str(self.port),
                    "-k",
                    str(self.socket_dir),
                    "-c",
                    "listen_addresses=127.0.0.1",
                    # Durability is not needed for a throwaway test cluster; speed is.
                    "-c",
                    "fsync=off",
                    "-c",
                    "synchronous_commit=off",
                    "-c",
                    "full_page_writes=off",
                    "-c",
                    "max_connections=200",
                ]
            ),
            log_path=workdir / "postgres.log",
        )

    def _run(self, argv: list[str], what: str) -> str:
        result = subprocess.run(
            _as_owner(argv), capture_output=True, text=True, check=False, cwd=self.workdir
        )
        if result.returncode != 0:
            raise ServiceStartError(
                f"PostgreSQL: {what} failed (exit {result.returncode}):\n"
                f"{(result.stdout + result.stderr)[-3000:]}"
            )
        return result.stdout

    def start(self, timeout: float = 60.0) -> None:
        """Create the cluster, start the server and wait until it accepts connections."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.socket_dir.mkdir(exist_ok=True)
        password_file = self.workdir / "superuser-password"
        password_file.write_text(SUPERUSER_PASSWORD + "\n")
        if os.geteuid() == 0:
            _make_traversable(self.workdir.parent)
            shutil.chown(self.workdir, user="postgres")
            shutil.chown(self.socket_dir, user="postgres")
            shutil.chown(password_file, user="postgres")
        self._run(
            [
                str(self.bin_dir / "initdb"),
                "-D",
                str(self.data_dir),
                "-U",
                SUPERUSER,
                "-E",
                "UTF8",
                "--locale=C",
                "--no-sync",
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                f"--pwfile={password_file}",
            ],
            "initdb",
        )
        self.process.start()
        self.process.wait_ready(lambda: port_open(self.port) and self._accepts(), timeout)

    def _client(self, program: str, *arguments: str) -> list[str]:
        """A client program's command line, connecting as the superuser over the socket."""
        connection = ["-h", str(self.socket_dir), "-p", str(self.port), "-U", SUPERUSER]
        return [str(self.bin_dir / program), *connection, *arguments]

    def _accepts(self) -> bool:
        result = subprocess.run(
            _as_owner(self._client("pg_isready")), capture_output=True, check=False
        )
        return result.returncode == 0

    def sql(self, statement: str, database: str = "postgres") -> str:
        """Run one statement as the superuser over the Unix socket."""
        return self._run(
            self._client("psql", "-d", database, "-v", "ON_ERROR_STOP=1", "-qAtc", statement),
            f"SQL {statement!r}",
        )

    def create_database(self, name: str, owner: str, password: str) -> str:
        """Create a login role and a database it owns; return its asyncpg-ready URL."""
        for value in (name, owner):
            if not IDENTIFIER.match(value):
                raise ValueError(f"'{value}' is not a plain lowercase SQL identifier")
        if "'" in password:
            raise ValueError("the password must not contain a single quote")
        # Identifiers are checked above; psql takes no bind parameters on its command line.
        exists = self.sql(f"SELECT 1 FROM pg_roles WHERE rolname = '{owner}'").strip()  # noqa: S608
        verb = "ALTER" if exists else "CREATE"
        self.sql(f"{verb} ROLE {owner} LOGIN PASSWORD '{password}'")
        self.sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        self.sql(f"CREATE DATABASE {name} OWNER {owner}")
        return f"postgresql://{owner}:{password}@127.0.0.1:{self.port}/{name}"

    def stop(self) -> None:
        """Stop the server (SIGTERM: a smart shutdown)."""
        self.process.stop()

    @property
    def pid(self) -> int:
        """The process id of the server (or of runuser, its parent)."""
        return self.process.pid
