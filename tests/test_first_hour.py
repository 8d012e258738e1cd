"""The rendered README's first hour without a Docker engine, as a new user follows it.

Render the default variant; ``make services-up`` with a Docker client whose engine does not
answer says what to do instead; ``scripts/services.py up`` starts PostgreSQL, Redis and
Keycloak from the programs installed here at the addresses in ``.env``; ``make migrate``; the
service started as ``make run`` does; ``scripts/client.py`` answers an authenticated HTTP call
and a WebSocket package; the project's tests find the services through ``.env`` alone;
a package from the project's scaffolder answers once ``make realm`` has imported its role;
``scripts/services.py down`` stops everything.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.harness.keycloak import (
    KEYCLOAK_VERSION,
    build_cache,
    ensure_distribution,
    find_java_home,
)
from tests.harness.ports import free_port, port_open
from tests.harness.process import ServiceProcess
from tests.harness.project import Project
from tests.harness.render import render
from tests.harness.variants import variant

pytestmark = pytest.mark.boot

SERVICES = ["uv", "run", "--no-sync", "python", "scripts/services.py"]
CLIENT = ["uv", "run", "--no-sync", "python", "scripts/client.py"]


@dataclass(frozen=True)
class FirstHour:
    """A rendered project whose .env names free ports, and what its native services need."""

    project: Project
    ports: dict[str, int]
    native_env: dict[str, str]


def private_keycloak(destination: Path) -> Path:
    """A copy of the Keycloak distribution, as a user would have unpacked it (start-dev writes
    into its home), with the harness's Quarkus build when there is one, to start sooner."""
    shutil.copytree(ensure_distribution(), destination, symlinks=True)
    if build_cache().is_dir():
        shutil.rmtree(destination / "lib" / "quarkus")
        shutil.copytree(build_cache(), destination / "lib" / "quarkus")
    return destination


def env_file(example: str, settings: dict[str, str]) -> str:
    """The README's ``cp .env.example .env``, then the addresses edited."""
    kept = [line for line in example.splitlines() if line.partition("=")[0] not in settings]
    return "\n".join([*kept, *(f"{name}={value}" for name, value in settings.items())]) + "\n"


@pytest.fixture(scope="module")
def first_hour(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FirstHour]:
    """The default variant, its services started by its own script; stopped at the end."""
    root = tmp_path_factory.mktemp("first-hour")
    project = Project(render(variant("postgresql"), root / "service"))
    project.sync(compile_bytecode=True)
    ports = {name: free_port() for name in ("db", "redis", "keycloak", "app")}
    settings = {
        "DB_URL": f"postgresql+asyncpg://app:first-hour@127.0.0.1:{ports['db']}/app",
        "REDIS_URL": f"redis://127.0.0.1:{ports['redis']}/0",
        "KEYCLOAK_SERVER_URL": f"http://127.0.0.1:{ports['keycloak']}",
        "APP_PORT": str(ports["app"]),
    }
    example = (project.root / ".env.example").read_text()
    (project.root / ".env").write_text(env_file(example, settings))
    native_env = {
        "KEYCLOAK_HOME": str(private_keycloak(root / "keycloak")),
        "JAVA_HOME": str(find_java_home(17)),
    }
    try:
        up = project.run([*SERVICES, "up"], env=native_env, timeout=600, check=False)
        assert up.returncode == 0, up.stdout + up.stderr
        yield FirstHour(project, ports, native_env)
    finally:
        project.run([*SERVICES, "down"], env=native_env, check=False)


@contextmanager
def served(first_hour: FirstHour, log_path: Path) -> Iterator[None]:
    """The service as ``make run`` starts it (its own entry point, its address from .env),
    until the block ends; its log holds no traceback."""
    project = first_hour.project
    server = ServiceProcess(
        name="first-hour service",
        argv=["uv", "run", "--no-sync", "python", "-m", project.module],
        log_path=log_path,
        base_env=project.environ(),
        cwd=project.root,
    )
    server.start()
    try:
        server.wait_ready(lambda: port_open(first_hour.ports["app"]), timeout=60)
        yield
    finally:
        server.stop()
    assert "Traceback" not in log_path.read_text()


def test_services_up_without_an_engine_says_what_to_do(tmp_path: Path) -> None:
    project = Project(render(variant("sqlite-minimal"), tmp_path / "service"))
    # A docker client whose engine (or compose plugin) does not answer, as on this machine.
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    fake = bin_dir / "docker"
    fake.write_text("#!/bin/sh\necho 'Cannot connect to the Docker daemon' >&2\nexit 1\n")
    fake.chmod(0o755)
    path = f"{bin_dir}:{project.environ()['PATH']}"
    result = project.run(["make", "services-up"], env={"PATH": path}, check=False)
    assert result.returncode != 0
    assert "make services-native" in result.stderr, result.stdout + result.stderr
    assert "Traceback" not in result.stdout + result.stderr


def test_the_native_services_answer_where_the_settings_say(first_hour: FirstHour) -> None:
    status = first_hour.project.run([*SERVICES, "status"], env=first_hour.native_env)
    for name in ("db", "redis", "keycloak"):
        assert port_open(first_hour.ports[name]), name
    assert status.stdout.count(" answers at ") == 3, status.stdout


def test_a_first_run_answers_http_and_a_websocket_package(
    first_hour: FirstHour, tmp_path: Path
) -> None:
    project = first_hour.project
    project.run(["make", "migrate"])
    with served(first_hour, tmp_path / "service.log"):
        me = project.run([*CLIENT, "http", "alice", "GET", "/auth/me"])
        assert me.stdout.startswith("200 OK"), me.stdout
        assert '"username": "alice"' in me.stdout
        created = project.run([*CLIENT, "ws", "alice", "CREATE_AUTHOR", '{"name": "Ada"}'])
        answer = json.loads(created.stdout)
        assert answer["status_code"] == 0, answer
        assert answer["data"]["name"] == "Ada"
        refused = project.run(
            [*CLIENT, "ws", "carol", "CREATE_AUTHOR", '{"name": "Eve"}'], check=False
        )
        assert refused.returncode == 1
        assert json.loads(refused.stdout)["data"]["code"] == "forbidden"


def test_the_projects_tests_find_the_services_through_env_alone(first_hour: FirstHour) -> None:
    result = first_hour.project.run(
        ["uv", "run", "--no-sync", "pytest", "-q", "-p", "no:cacheprovider", "tests/integration"],
        env={"REQUIRE_SERVICES": "1"},
        check=False,
    )
    assert result.returncode == 0, result.stdout[-4000:]
    assert "skipped" not in result.stdout


def test_a_scaffolded_package_answers_once_make_realm_imported_its_role(
    first_hour: FirstHour, tmp_path: Path
) -> None:
    """After the project's own tests (it changes the realm and the project): the README's
    "Add a WebSocket package", then ``make realm``, a restart and a call by the package's name."""
    project = first_hour.project
    offline = project.run([*CLIENT, "http", "alice", "GET", "/auth/me"], check=False)
    assert offline.returncode == 1
    assert offline.stdout == ""
    assert offline.stderr.count("\n") == 1, offline.stderr  # one line, no traceback
    assert "does not answer" in offline.stderr
    assert "APP_PORT" in offline.stderr
    scaffold = ["uv", "run", "--no-sync", "python", "-m", f"{project.module}.scaffold"]
    project.run([*scaffold, "package", "greet", "--roles", "greeter", "--schema", "name:str:1..40"])
    imported = project.run(["make", "realm"], env=first_hour.native_env)
    assert "replaced" in imported.stdout, imported.stdout
    with served(first_hour, tmp_path / "service.log"):
        greeted = project.run([*CLIENT, "ws", "alice", "GREET", '{"name": "Ada"}'])
        answer = json.loads(greeted.stdout)
        assert answer["status_code"] == 0, answer
        assert answer["data"] == {"name": "Ada"}
        refused = project.run([*CLIENT, "ws", "carol", "GREET", '{"name": "Eve"}'], check=False)
        assert refused.returncode == 1
        assert json.loads(refused.stdout)["data"]["code"] == "forbidden"
        invalid = project.run([*CLIENT, "ws", "alice", "GREET", '{"name": ""}'], check=False)
        assert invalid.returncode == 1
        assert json.loads(invalid.stdout)["status_code"] != 0


def test_migrate_without_a_database_is_one_line_naming_the_setting(first_hour: FirstHour) -> None:
    project = first_hour.project  # DB_URL from the environment wins over .env
    port = free_port()
    result = project.run(
        ["make", "migrate"],
        env={"DB_URL": f"postgresql+asyncpg://app:secret-pass@127.0.0.1:{port}/app"},
        check=False,
    )
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if not line.startswith("make")]
    assert errors == [
        f"cannot connect to the database at DB_URL (postgresql+asyncpg://app:***@127.0.0.1:"
        f"{port}/app): [Errno 111] Connect call failed ('127.0.0.1', {port})"
    ], result.stderr


def test_the_readme_fetches_the_keycloak_the_services_script_and_harness_run(
    first_hour: FirstHour,
) -> None:
    readme = (first_hour.project.root / "README.md").read_text()
    script = (first_hour.project.root / "scripts" / "services.py").read_text()
    assert f'KEYCLOAK_VERSION = "{KEYCLOAK_VERSION}"' in script
    url = (
        "https://repo1.maven.org/maven2/org/keycloak/keycloak-quarkus-dist/"
        f"{KEYCLOAK_VERSION}/keycloak-quarkus-dist-{KEYCLOAK_VERSION}.tar.gz"
    )
    assert f"curl -fLO {url}\n" in readme
    assert f'KEYCLOAK_HOME="$PWD/keycloak-{KEYCLOAK_VERSION}"' in readme
