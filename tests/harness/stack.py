"""Services for rendered projects: native processes, or the project's own compose file.

``native`` starts PostgreSQL, Redis and Keycloak once (each on first need) and gives every
project its own database, Redis database (when it uses Redis) and realm. ``compose`` runs
each project's compose.yaml with ``docker compose up --wait``; it is chosen when a Docker
engine answers ``docker info``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path
from typing import Any

import yaml

from tests.harness.keycloak import NativeKeycloak, ensure_distribution
from tests.harness.ports import free_port
from tests.harness.postgres_server import NativePostgres
from tests.harness.process import ServiceStartError, stop_pid
from tests.harness.project import Project
from tests.harness.redis_server import NativeRedis

REDIS_DATABASES = 64  # NativeRedis starts with this many logical databases


def environment_for(project: Project, **values: str) -> dict[str, str]:
    """The variables a project reads, with the realm and client from its answers by default."""
    env = {
        "KEYCLOAK_REALM": str(project.answers["keycloak_realm"]),
        "KEYCLOAK_CLIENT_ID": str(project.answers["keycloak_client_id"]),
    }
    env.update(values)
    return env


def _start(server: NativePostgres | NativeRedis | NativeKeycloak) -> None:
    """Start ``server``; a start cut short (a failure, Ctrl-C) leaves no process behind."""
    try:
        server.start()
    except BaseException:
        server.stop()
        raise


class NativeStack:
    """PostgreSQL, Redis and Keycloak as local processes, shared by all projects of a run."""

    kind = "native"

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        # One lock per service, so that a slow Keycloak start does not hold up the others.
        self._postgres_lock = threading.Lock()
        self._redis_lock = threading.Lock()
        self._keycloak_lock = threading.Lock()
        self._counter_lock = threading.Lock()
        self._postgres: NativePostgres | None = None
        self._redis: NativeRedis | None = None
        self._keycloak: NativeKeycloak | None = None
        self._next_redis_db = 0
        # Outside pytest's temporary root: each pytest run (a variant's own suite, say) resets
        # that root to mode 0700, which would lock the 'postgres' user out of its own cluster.
        self._postgres_dir = Path(tempfile.mkdtemp(prefix="fastapi-ws-rbac-postgres-"))

    def postgres(self) -> NativePostgres:
        """The PostgreSQL server, started on first use."""
        with self._postgres_lock:
            if self._postgres is None:
                server = NativePostgres(self._postgres_dir / "cluster")
                _start(server)
                self._postgres = server
            return self._postgres

    def redis(self) -> NativeRedis:
        """The Redis server, started on first use."""
        with self._redis_lock:
            if self._redis is None:
                server = NativeRedis(self.workdir / "redis")
                _start(server)
                self._redis = server
            return self._redis

    def keycloak(self) -> NativeKeycloak:
        """The Keycloak server, fetched and started on first use."""
        with self._keycloak_lock:
            if self._keycloak is None:
                ensure_distribution()
                server = NativeKeycloak(self.workdir / "keycloak")
                _start(server)
                self._keycloak = server
            return self._keycloak

    def start(self, *, postgres: bool = True) -> None:
        """Start every service now (Keycloak is slow: start it early, in a thread if you can)."""
        if postgres:
            self.postgres()
        self.redis()
        self.keycloak()

    def provision(self, project: Project, tag: str | None = None) -> dict[str, str]:
        """Give ``project`` its own database, Redis database and realm (renamed with ``tag``)."""
        name = re.sub(r"[^a-z0-9_]", "_", f"v_{tag}".lower()) if tag else project.module
        if project.database == "postgresql":
            db_url = self.postgres().create_database(name, owner="app", password="app-password")  # noqa: S106
        else:
            db_url = f"sqlite:///{self.workdir / 'sqlite' / name}.db"
            (self.workdir / "sqlite").mkdir(parents=True, exist_ok=True)
        realm = dict(project.realm)
        if tag:
            realm["realm"] = f"{realm['realm']}-{tag}"
        keycloak = self.keycloak()
        keycloak.import_realm(realm)
        env = environment_for(
            project,
            DB_URL=db_url,
            KEYCLOAK_SERVER_URL=keycloak.base_url,
            KEYCLOAK_REALM=str(realm["realm"]),
        )
        if project.uses_redis:
            env["REDIS_URL"] = self.redis().url(self._take_redis_database())
        return env

    def _take_redis_database(self) -> int:
        with self._counter_lock:
            if self._next_redis_db >= REDIS_DATABASES:
                raise ServiceStartError(f"all {REDIS_DATABASES} Redis databases are in use")
            redis_db, self._next_redis_db = self._next_redis_db, self._next_redis_db + 1
        return redis_db

    def state(self) -> dict[str, Any]:
        servers = [self._postgres, self._redis, self._keycloak]
        return {
            "kind": self.kind,
            "workdir": str(self.workdir),
            "postgres_dir": str(self._postgres_dir),
            "pids": [server.pid for server in servers if server is not None],
        }

    def close(self) -> None:
        for server in (self._keycloak, self._redis, self._postgres):
            if server is not None:
                server.stop()
        shutil.rmtree(self._postgres_dir, ignore_errors=True)


class ComposeStack:
    """Each project's own compose.yaml, its ports mapped to free loopback ports."""

    kind = "compose"

    def __init__(self) -> None:
        self._projects: list[tuple[str, Path]] = []

    def provision(self, project: Project, tag: str | None = None) -> dict[str, str]:
        compose_file = project.root / "compose.yaml"
        services = [
            name
            for name, service in yaml.safe_load(compose_file.read_text())["services"].items()
            if not service.get("profiles")
        ]
        ports = {
            "POSTGRES_PORT": free_port(),
            "REDIS_PORT": free_port(),
            "KEYCLOAK_PORT": free_port(),
        }
        name = re.sub(
            r"[^a-z0-9-]", "-", f"harness-{tag or project.answers['project_slug']}".lower()
        )
        env = {**os.environ, **{key: str(value) for key, value in ports.items()}}
        result = subprocess.run(
            [
                "docker",
                "compose",
                "-p",
                name,
                "-f",
                str(compose_file),
                "up",
                "--detach",
                "--wait",
                *services,
            ],
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        self._projects.append((name, compose_file))
        if result.returncode != 0:
            logs = subprocess.run(
                ["docker", "compose", "-p", name, "-f", str(compose_file), "logs", "--tail", "40"],
                capture_output=True,
                text=True,
                check=False,
            )
            raise ServiceStartError(
                f"docker compose up failed for {compose_file} (exit {result.returncode}):\n"
                f"{result.stderr[-3000:]}\n{logs.stdout[-4000:]}"
            )
        if project.database == "postgresql":
            db_url = f"postgresql://app:app@127.0.0.1:{ports['POSTGRES_PORT']}/app"
        else:
            db_url = f"sqlite:///{project.root / (project.module + '.db')}"
        env = environment_for(
            project,
            DB_URL=db_url,
            KEYCLOAK_SERVER_URL=f"http://127.0.0.1:{ports['KEYCLOAK_PORT']}",
        )
        if project.uses_redis:
            env["REDIS_URL"] = f"redis://127.0.0.1:{ports['REDIS_PORT']}/0"
        return env

    def state(self) -> dict[str, Any]:
        return {"kind": self.kind, "projects": [[name, str(path)] for name, path in self._projects]}

    def close(self) -> None:
        for name, compose_file in self._projects:
            compose_down(name, compose_file)
        self._projects.clear()


def compose_down(name: str, compose_file: Path) -> None:
    """Stop a compose project and drop its volumes."""
    subprocess.run(
        ["docker", "compose", "-p", name, "-f", str(compose_file), "down", "--volumes"],
        capture_output=True,
        check=False,
    )


def docker_engine_answers() -> bool:
    """Whether a Docker engine is reachable (the client alone is not enough)."""
    if shutil.which("docker") is None:
        return False
    try:
        result = subprocess.run(["docker", "info"], capture_output=True, timeout=20, check=False)
    except subprocess.TimeoutExpired:
        return False
    return result.returncode == 0


def choose_stack(workdir: Path, kind: str | None = None) -> NativeStack | ComposeStack:
    """The stack named by ``kind`` or $HARNESS_STACK, else compose if Docker answers, or native."""
    kind = (
        kind
        or os.environ.get("HARNESS_STACK")
        or ("compose" if docker_engine_answers() else "native")
    )
    if kind == "native":
        return NativeStack(workdir)
    if kind == "compose":
        return ComposeStack()
    raise ValueError(f"unknown stack '{kind}': use 'native' or 'compose'")


def stop_state(state: dict[str, Any]) -> None:
    """Stop the services recorded by a stack's ``state()`` in an earlier process."""
    if state["kind"] == "native":
        for pid in reversed(state["pids"]):
            stop_pid(int(pid))
        shutil.rmtree(state["workdir"], ignore_errors=True)
        shutil.rmtree(state.get("postgres_dir", state["workdir"]), ignore_errors=True)
    else:
        for name, compose_file in state["projects"]:
            compose_down(name, Path(compose_file))
