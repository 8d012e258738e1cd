"""A rendered project on disk: its answers, its realm, and the commands run inside it."""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import yaml

from tests.harness.ports import free_port
from tests.harness.process import ServiceProcess

# Variables of the harness's own environment that must not leak into a project's commands.
LEAKY_VARIABLES = ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "PYTHONPATH", "PYTEST_ADDOPTS")


class ProjectCommandError(RuntimeError):
    """A command inside a rendered project failed; the message shows its output."""


@dataclass(frozen=True)
class Project:
    """A project rendered from the template."""

    root: Path

    @cached_property
    def answers(self) -> dict[str, Any]:
        """The answers copier recorded in .copier-answers.yml."""
        path = self.root / ".copier-answers.yml"
        if not path.is_file():
            raise FileNotFoundError(
                f"{self.root} has no .copier-answers.yml: is it a rendered project?"
            )
        answers: dict[str, Any] = yaml.safe_load(path.read_text())
        return answers

    @property
    def module(self) -> str:
        return str(self.answers["module_name"])

    @property
    def database(self) -> str:
        return str(self.answers["database"])

    @property
    def uses_redis(self) -> bool:
        """Whether the project was rendered with Redis (answers from before the question: yes)."""
        return bool(self.answers.get("use_redis", True))

    @cached_property
    def realm(self) -> dict[str, Any]:
        """The realm representation from keycloak/realm.json."""
        realm: dict[str, Any] = json.loads((self.root / "keycloak" / "realm.json").read_text())
        return realm

    def user_password(self, username: str) -> str:
        """The development password of a realm user, or a clear error naming the users."""
        for user in self.realm.get("users", []):
            if user["username"] == username:
                return str(user["credentials"][0]["value"])
        known = ", ".join(user["username"] for user in self.realm.get("users", []))
        raise KeyError(f"realm has no user '{username}'; its users: {known}")

    def has_migrations(self) -> bool:
        """Whether Alembic has any revision to apply."""
        versions = self.root / "src" / self.module / "db" / "migrations" / "versions"
        return any(versions.glob("*.py"))

    def environ(self, extra: Mapping[str, str] | None = None) -> dict[str, str]:
        """The environment for commands in the project: ours, cleaned, plus ``extra``."""
        env = {key: value for key, value in os.environ.items() if key not in LEAKY_VARIABLES}
        env = {key: value for key, value in env.items() if not key.startswith("PYTEST_")}
        env["UV_PYTHON_DOWNLOADS"] = "never"
        env.update(extra or {})
        return env

    def run(
        self,
        argv: Sequence[str],
        env: Mapping[str, str] | None = None,
        timeout: float = 900,
        check: bool = True,
    ) -> subprocess.CompletedProcess[str]:
        """Run a command in the project root and capture its output."""
        result = subprocess.run(
            list(argv),
            cwd=self.root,
            env=self.environ(env),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if check and result.returncode != 0:
            raise ProjectCommandError(
                f"`{' '.join(argv)}` failed in {self.root} (exit {result.returncode}):\n"
                f"{(result.stdout + result.stderr)[-6000:]}"
            )
        return result

    def sync(self, *, compile_bytecode: bool = False) -> None:
        """Install the project and its dev tools into its .venv.

        ``compile_bytecode`` for a project that starts many interpreters (a booted suite starts a
        server per module): with PYTHONDONTWRITEBYTECODE set, as on the CI machines, nothing
        installed is otherwise ever cached, and each start compiles FastAPI, SQLAlchemy and
        Pydantic again (3.5 s to import the app instead of 1.5 s).
        """
        self.run(["uv", "sync", "--quiet", *(["--compile-bytecode"] if compile_bytecode else [])])

    def check(self) -> None:
        """Install the project, then ruff, ruff format --check, mypy and its unit tests, which
        must pass with nothing skipped."""
        self.sync()
        self.run(["uv", "run", "--no-sync", "ruff", "check"])
        self.run(["uv", "run", "--no-sync", "ruff", "format", "--check"])
        self.run(["uv", "run", "--no-sync", "mypy"])
        unit = self.run(
            ["uv", "run", "--no-sync", "pytest", "-q", "-p", "no:cacheprovider", "tests/unit"]
        )
        if " passed" not in unit.stdout or "skipped" in unit.stdout:
            raise ProjectCommandError(
                f"the unit tests of {self.root} did not all pass, or skipped some:\n"
                f"{unit.stdout[-2000:]}"
            )

    def migrate(self, env: Mapping[str, str]) -> None:
        """Apply the Alembic migrations to the database in ``env``."""
        self.run(["uv", "run", "--no-sync", "alembic", "upgrade", "head"], env=env)

    def server(
        self, env: Mapping[str, str], log_path: Path, port: int | None = None
    ) -> ServiceProcess:
        """A uvicorn process serving the app on a free loopback port (not yet started)."""
        port = port or free_port()
        return ServiceProcess(
            name=f"{self.answers['project_slug']} on 127.0.0.1:{port}",
            argv=[
                "uv",
                "run",
                "--no-sync",
                "uvicorn",
                "--factory",
                f"{self.module}.main:create_app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
            ],
            log_path=log_path,
            base_env=self.environ(env),
            cwd=self.root,
        )
