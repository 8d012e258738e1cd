"""Maintainers' commands to reproduce a variant by hand.

python -m tests.harness variants              list the named variants
python -m tests.harness variants --json [--deep]   their names as a JSON list (a CI matrix)
python -m tests.harness render VARIANT DIR    render a named variant into DIR
python -m tests.harness up DIR                start services for DIR's project, print its env
python -m tests.harness token DIR USER        print an access token for a user of DIR's realm
python -m tests.harness down DIR              stop the services started by `up DIR`
python -m tests.harness fetch-keycloak        fetch the Keycloak distribution into the cache
python -m tests.harness bench [--smoke] ...   benchmark a rendered service against bare apps
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shlex
import tempfile
from pathlib import Path
from typing import Any

import httpx

from tests.harness.cache import cache_dir
from tests.harness.keycloak import ensure_distribution
from tests.harness.project import Project
from tests.harness.render import render
from tests.harness.stack import NativeStack, choose_stack, stop_state
from tests.harness.variants import DEEP_VARIANTS, all_variants, variant


def state_file(directory: Path) -> Path:
    """Where `up` records what `down` must stop, outside the project itself."""
    key = hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:16]
    return cache_dir() / "stacks" / key / "state.json"


def token_url(env: dict[str, str]) -> str:
    """The token endpoint of the realm that ``up`` provisioned."""
    realm_url = f"{env['KEYCLOAK_SERVER_URL']}/realms/{env['KEYCLOAK_REALM']}"
    return f"{realm_url}/protocol/openid-connect/token"


def token_command(env: dict[str, str], project: Project, username: str) -> str:
    """A curl command that prints an access token for ``username``."""
    return (
        f"curl -s -d grant_type=password -d client_id={env['KEYCLOAK_CLIENT_ID']} "
        f"-d username={username} -d password={shlex.quote(project.user_password(username))} "
        f"{token_url(env)}"
    )


def fetch_token(env: dict[str, str], project: Project, username: str) -> str:
    """Ask the realm for an access token with the user's development password."""
    response = httpx.post(
        token_url(env),
        data={
            "grant_type": "password",
            "client_id": env["KEYCLOAK_CLIENT_ID"],
            "username": username,
            "password": project.user_password(username),
        },
        timeout=10,
    )
    if response.status_code != 200:
        raise SystemExit(
            f"Keycloak refused a token for '{username}': {response.status_code} {response.text}"
        )
    return str(response.json()["access_token"])


def load_state(directory: Path) -> dict[str, Any]:
    path = state_file(directory)
    if not path.is_file():
        raise SystemExit(
            f"no services are running for {directory}: run `python -m tests.harness up {directory}`"
        )
    state: dict[str, Any] = json.loads(path.read_text())
    return state


def command_up(directory: Path, kind: str | None) -> None:
    project = Project(directory.resolve())
    path = state_file(directory)
    if path.is_file():
        raise SystemExit(f"services for {directory} are already up; run `down` first ({path})")
    workdir = Path(tempfile.mkdtemp(prefix="harness-stack-"))
    stack = choose_stack(workdir, kind)
    try:
        if isinstance(stack, NativeStack):
            stack.start(postgres=project.database == "postgresql")
        env = stack.provision(project)
    except BaseException:
        stack.close()
        raise
    env["REQUIRE_SERVICES"] = "1"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"stack": stack.state(), "env": env}, indent=2))
    print(f"# services for {project.root} ({stack.kind})")
    print(f"# stop them with: python -m tests.harness down {directory}")
    for key, value in env.items():
        print(f"export {key}={shlex.quote(value)}")
    for user in project.realm.get("users", []):
        username = user["username"]
        print(f"# token for {username}: python -m tests.harness token {directory} {username}")
        print(f"#   or: {token_command(env, project, username)}")


def command_down(directory: Path) -> None:
    state = load_state(directory)
    stop_state(state["stack"])
    state_file(directory).unlink()
    print(f"stopped the services for {directory}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.harness", description=__doc__.splitlines()[0]
    )
    commands = parser.add_subparsers(dest="command", required=True)
    variants_parser = commands.add_parser("variants", help="list the named variants")
    variants_parser.add_argument(
        "--json", action="store_true", help="print the names only, as one JSON list"
    )
    variants_parser.add_argument(
        "--deep", action="store_true", help="only the deep variants (the boot layer's)"
    )
    render_parser = commands.add_parser("render", help="render a named variant into DIR")
    render_parser.add_argument("variant")
    render_parser.add_argument("dir", type=Path)
    up_parser = commands.add_parser("up", help="start services for the project in DIR")
    up_parser.add_argument("dir", type=Path)
    up_parser.add_argument("--stack", choices=["native", "compose"], default=None)
    token_parser = commands.add_parser("token", help="print an access token for a realm user")
    token_parser.add_argument("dir", type=Path)
    token_parser.add_argument("user")
    down_parser = commands.add_parser("down", help="stop the services started by `up DIR`")
    down_parser.add_argument("dir", type=Path)
    commands.add_parser("fetch-keycloak", help="fetch the Keycloak distribution into the cache")
    # Imported here: bench imports this module (fetch_token).
    from tests.harness import bench

    bench_parser = commands.add_parser(
        "bench", help="benchmark a rendered service against bare Starlette and FastAPI apps"
    )
    bench.add_arguments(bench_parser)
    args = parser.parse_args(argv)

    if args.command == "variants":
        variants = DEEP_VARIANTS if args.deep else all_variants()
        if args.json:
            print(json.dumps(list(variants), ensure_ascii=False))
        else:
            for name, answers in variants.items():
                print(f"{name}: {json.dumps(answers, ensure_ascii=False)}")
    elif args.command == "render":
        try:
            answers = variant(args.variant)
        except KeyError as exc:
            raise SystemExit(str(exc.args[0])) from exc
        print(f"rendered variant '{args.variant}' into {render(answers, args.dir)}")
    elif args.command == "up":
        command_up(args.dir, args.stack)
    elif args.command == "token":
        state = load_state(args.dir)
        try:
            print(fetch_token(state["env"], Project(args.dir.resolve()), args.user))
        except KeyError as exc:
            raise SystemExit(str(exc.args[0])) from exc
    elif args.command == "down":
        command_down(args.dir)
    elif args.command == "fetch-keycloak":
        print(f"Keycloak distribution ready at {ensure_distribution()}")
    elif args.command == "bench":
        bench.command(args)


if __name__ == "__main__":
    main()
