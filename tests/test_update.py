"""Update layer: a project rendered from one release takes the next with `copier update`.

The template as it stands (working tree) becomes release v1.0.0 of a scratch git repository,
and a scripted change to the files users also edit (main.py, settings.py, the README,
pyproject.toml) becomes v1.0.1: so every run updates across a real diff, released or not.
Projects are rendered from v1.0.0, committed, edited as their owners would, and updated with
copier's API (``run_update``, what ``copier update --trust --defaults`` runs). Copier's API is
used directly, not pytest-copie's fixtures: those render once per test into a temporary
directory, while updates need a template repository with tags and a project with git history.
"""

from __future__ import annotations

import filecmp
import shutil
import sqlite3
import subprocess
import warnings
from pathlib import Path
from typing import Any

import copier
import pytest
import yaml
from copier.errors import DirtyLocalWarning

from tests.harness.project import Project
from tests.harness.variants import TEMPLATE_ROOT

BASE, NEXT = "v1.0.0", "v1.0.1"
# Answers other than the defaults, so that the update keeps them rather than the defaults.
ANSWERS: dict[str, Any] = {
    "project_name": "Ledger Sync",
    "python_version": "3.11",
    "database": "sqlite",
    "use_redis": False,
}
MODULE = "ledger_sync"
CONFLICT_MARKERS = ("<<<<<<< ", ">>>>>>> ")


def git(cwd: Path, *arguments: str) -> str:
    result = subprocess.run(
        ["git", "-c", "user.name=test", "-c", "user.email=test@example.com", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"git {' '.join(arguments)}: {result.stderr}"
    return result.stdout


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace the one occurrence of ``old`` in ``path``: a scripted edit that must apply."""
    text = path.read_text()
    assert text.count(old) == 1, f"{path}: {old!r} occurs {text.count(old)} times"
    path.write_text(text.replace(old, new))


def next_release(template: Path) -> None:
    """The scripted template change of v1.0.1, in the files owners edit too."""
    source = template / "template"
    package = source / "src" / "{{module_name}}"
    replace_in(
        package / "main.py.jinja",
        '    """Build the service; settings come from the environment unless given."""',
        '    """Build the service; settings come from the environment unless given (v1.0.1)."""',
    )
    replace_in(
        package / "settings.py.jinja",
        "readiness_timeout: float = Field(default=2.0, gt=0, le=30)",
        "readiness_timeout: float = Field(default=3.0, gt=0, le=30)",
    )
    replace_in(source / "README.md.jinja", "## Quick start\n", "## Quick start (v1.0.1)\n")
    with (source / "pyproject.toml.jinja").open("a") as pyproject:
        pyproject.write("\n# Added in v1.0.1.\n")


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A git repository of the template: the working tree as v1.0.0, the change as v1.0.1."""
    repo = tmp_path_factory.mktemp("template") / "fastapi-ws-rbac"
    files = git(TEMPLATE_ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    for name in filter(None, files.split("\0")):
        source = TEMPLATE_ROOT / name
        if source.is_file():
            (repo / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repo / name)
    git(repo, "init", "--quiet", "--initial-branch=main")
    git(repo, "add", "-A")
    git(repo, "commit", "--quiet", "-m", "base")
    git(repo, "tag", BASE)
    next_release(repo)
    git(repo, "commit", "--quiet", "-am", "next")
    git(repo, "tag", NEXT)
    return repo


def render(template: Path, destination: Path, ref: str, **changes: object) -> Path:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DirtyLocalWarning)
        copier.run_copy(
            str(template),
            str(destination),
            data={**ANSWERS, **changes},
            defaults=True,
            unsafe=True,
            vcs_ref=ref,
            quiet=True,
        )
    return destination


def commit_all(project: Path, message: str) -> None:
    if not (project / ".git").exists():
        git(project, "init", "--quiet", "--initial-branch=main")
    git(project, "add", "-A")
    git(project, "commit", "--quiet", "--allow-empty", "-m", message)


def update(project: Path, **changes: object) -> None:
    """``copier update --trust --defaults --vcs-ref v1.0.1`` (with ``--data`` for changes)."""
    copier.run_update(
        str(project),
        data=dict(changes),
        defaults=True,
        overwrite=True,
        unsafe=True,
        vcs_ref=NEXT,
        quiet=True,
    )


def files_of(root: Path) -> set[str]:
    return {
        str(path.relative_to(root))
        for path in root.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(root).parts
    }


def differences(updated: Path, fresh: Path) -> set[str]:
    """The files that differ between two projects, or exist in one only."""
    ours, theirs = files_of(updated), files_of(fresh)
    different = {
        name
        for name in ours & theirs
        if not filecmp.cmp(updated / name, fresh / name, shallow=False)
    }
    return different | (ours ^ theirs)


def leftovers(project: Path) -> list[str]:
    """Conflict markers and rejected hunks an update left behind."""
    found = [str(path) for path in project.rglob("*.rej")]
    for name in files_of(project):
        text = (project / name).read_text(errors="replace")
        if any(marker in text for marker in CONFLICT_MARKERS):
            found.append(name)
    return found


OWN_ROUTE = '''

@router.get("/hello")
async def hello() -> dict[str, str]:
    """Ours: a route the template knows nothing about."""
    return {"hello": "world"}
'''
OWN_PACKAGE = '''

class Echo(BaseModel):
    """Ours: the data of the echo package."""

    model_config = ConfigDict(extra="forbid")

    text: str


@router.register(CustomPkgID.ECHO, schema=Echo, roles=["get-authors"])
async def echo(_ctx: HandlerContext, data: Echo) -> Reply:
    """Ours: answers the text it was sent."""
    return Reply(data={"text": data.text})
'''
OWN_TEST = f'''"""Ours: the route and the package added through custom/."""

from __future__ import annotations

from {MODULE}.custom.http import router
from {MODULE}.custom.packages import CustomPkgID
from {MODULE}.ws.packages import build_package_router


def test_our_route_and_package_are_served() -> None:
    assert "/hello" in {{getattr(route, "path", None) for route in router.routes}}
    assert int(CustomPkgID.ECHO) in build_package_router().routes
'''


README_TRAILER = "<!-- Your own sections go below this line"
OUR_SECTION = "\n## Our notes\n\nHow we deploy Ledger Sync.\n"


def add_our_section(readme: Path) -> None:
    """A README section of ours where the README says (after its trailer); a README from
    before the trailer existed gets it after its first paragraph, which no release changed."""
    text = readme.read_text()
    if README_TRAILER in text:
        readme.write_text(text + OUR_SECTION)
        return
    title, _, rest = text.partition("\n\n")
    description, _, rest = rest.partition("\n\n")
    readme.write_text(f"{title}\n\n{description}\n{OUR_SECTION}\n{rest}")


def edit_as_an_owner(project: Path) -> set[str]:
    """Ordinary local edits, through the documented extension point; the files they touch."""
    package = project / "src" / MODULE
    with (package / "custom" / "http.py").open("a") as http:
        http.write(OWN_ROUTE)
    packages = package / "custom" / "packages.py"
    replace_in(
        packages,
        "from enum import IntEnum\n",
        "from enum import IntEnum\n\nfrom pydantic import BaseModel, ConfigDict\n",
    )
    replace_in(
        packages,
        f"from {MODULE}.ws.router import PackageRouter",
        f"from {MODULE}.ws.router import HandlerContext, PackageRouter, Reply",
    )
    replace_in(
        packages,
        '    """Your package ids (1000 and up); each needs a handler on ``router``."""\n',
        '    """Your package ids (1000 and up); each needs a handler on ``router``."""\n\n'
        "    ECHO = 1000\n",
    )
    with packages.open("a") as handlers:
        handlers.write(OWN_PACKAGE)
    (project / "tests" / "unit" / "test_ours.py").write_text(OWN_TEST)
    add_our_section(project / "README.md")
    replace_in(
        project / "pyproject.toml", "dependencies = [\n", 'dependencies = [\n    "anyio>=4",\n'
    )
    replace_in(
        package / "settings.py",
        "threshold: int = Field(default=5, ge=1, le=1000)",
        "threshold: int = Field(default=7, ge=1, le=1000)",
    )
    return {
        f"src/{MODULE}/custom/http.py",
        f"src/{MODULE}/custom/packages.py",
        f"src/{MODULE}/settings.py",
        "tests/unit/test_ours.py",
        "README.md",
        "pyproject.toml",
    }


@pytest.fixture(scope="module")
def updated(template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project rendered from v1.0.0, committed, edited, committed, updated to v1.0.1."""
    project = render(template, tmp_path_factory.mktemp("owner") / "ledger-sync", BASE)
    commit_all(project, "render")
    edited = edit_as_an_owner(project)
    commit_all(project, "our edits")
    update(project)
    project.joinpath(".edited").write_text("\n".join(sorted(edited)))
    return project


def test_the_update_applies_cleanly_and_keeps_our_edits(updated: Path) -> None:
    assert leftovers(updated) == []
    package = updated / "src" / MODULE
    assert "async def hello()" in (package / "custom" / "http.py").read_text()
    assert "ECHO = 1000" in (package / "custom" / "packages.py").read_text()
    assert "## Our notes" in (updated / "README.md").read_text()
    assert '"anyio>=4",' in (updated / "pyproject.toml").read_text()
    settings = (package / "settings.py").read_text()
    # Ours and the release's, each in its own place of the same file.
    assert "threshold: int = Field(default=7" in settings
    assert "readiness_timeout: float = Field(default=3.0" in settings
    assert "## Quick start (v1.0.1)" in (updated / "README.md").read_text()
    answers = yaml.safe_load((updated / ".copier-answers.yml").read_text())
    assert answers["_commit"] == NEXT
    assert {key: answers[key] for key in ANSWERS} == ANSWERS


def test_the_update_equals_a_fresh_render_but_for_our_edits(
    updated: Path, template: Path, tmp_path: Path
) -> None:
    fresh = render(template, tmp_path / "fresh", NEXT)
    edited = set((updated / ".edited").read_text().split("\n")) | {".edited"}
    assert differences(updated, fresh) == edited


@pytest.mark.toolchain
def test_the_updated_project_passes_its_checks(updated: Path) -> None:
    project = Project(updated)
    project.check()
    assert (
        "test_ours.py"
        in project.run(
            ["uv", "run", "--no-sync", "pytest", "-q", "--collect-only", "tests/unit/test_ours.py"]
        ).stdout
    )


@pytest.mark.parametrize(
    ("answer", "on", "off"),
    [
        ("audit_log", True, False),
        ("metrics", True, False),
        ("use_redis", True, False),
        ("database", "postgresql", "sqlite"),
    ],
)
def test_an_answer_changed_at_update_gives_the_fresh_render_of_it(
    template: Path, tmp_path: Path, answer: str, on: object, off: object
) -> None:
    project = render(template, tmp_path / "project", BASE, **{answer: on})
    commit_all(project, "render")
    update(project, **{answer: off})
    assert leftovers(project) == []
    fresh = render(template, tmp_path / "fresh", NEXT, **{answer: off})
    assert differences(project, fresh) == set()


def migrated_then_updated(
    template: Path, tmp_path: Path, *, audit_log: bool
) -> tuple[Project, dict[str, str]]:
    """A project rendered from v1.0.0 with ``audit_log``, its SQLite database migrated, then
    updated to v1.0.1 with the audit trail switched the other way and installed again."""
    root = render(template, tmp_path / "project", BASE, audit_log=audit_log)
    commit_all(root, "render")
    project = Project(root)
    project.sync()
    database = {"DB_URL": f"sqlite+aiosqlite:///{tmp_path / 'ledger.db'}"}
    project.migrate(database)
    commit_all(root, "lock")
    update(root, audit_log=not audit_log)
    assert leftovers(root) == []
    project.sync()
    return project, database


@pytest.mark.toolchain
def test_switching_the_audit_trail_off_keeps_a_migrated_database_migrating(
    template: Path, tmp_path: Path
) -> None:
    project, database = migrated_then_updated(template, tmp_path, audit_log=True)
    project.migrate(database)  # the database says 0002: the revision is still there
    current = project.run(["uv", "run", "--no-sync", "alembic", "current"], env=database)
    assert "0002 (head)" in current.stdout
    # Its table stays, rows and all, until the owner drops it.
    assert "audit_log" in table_names(tmp_path / "ledger.db")


def table_names(database: Path) -> set[str]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        return {name for (name,) in rows}


@pytest.mark.toolchain
def test_switching_the_audit_trail_on_later_takes_the_documented_step(
    template: Path, tmp_path: Path
) -> None:
    project, database = migrated_then_updated(template, tmp_path, audit_log=False)
    # The README's step (Migrations) for a capability switched on over a migrated database.
    for target in ("downgrade", "0001"), ("upgrade", "head"):
        project.run(["uv", "run", "--no-sync", "alembic", *target], env=database)
    assert "audit_log" in table_names(tmp_path / "ledger.db")


def previous_release() -> str:
    """The latest release tag before the working tree, or a commit some way back without one."""
    tags = git(TEMPLATE_ROOT, "tag", "--merged", "HEAD", "--list", "v*", "--sort=-v:refname")
    changed_since = [
        tag
        for tag in tags.split()
        if git(TEMPLATE_ROOT, "diff", "--name-only", tag, "--", "template", "copier.yml").strip()
    ]
    if changed_since:
        return changed_since[0]
    depth = int(git(TEMPLATE_ROOT, "rev-list", "--count", "HEAD"))
    return f"HEAD~{min(5, depth - 1)}"


def test_the_previous_release_updates_to_this_one_with_our_edits(tmp_path: Path) -> None:
    base = git(TEMPLATE_ROOT, "rev-parse", previous_release()).strip()
    project = render(TEMPLATE_ROOT, tmp_path / "project", base)
    commit_all(project, "render")
    add_our_section(project / "README.md")
    replace_in(
        project / "pyproject.toml", "dependencies = [\n", 'dependencies = [\n    "anyio>=4",\n'
    )
    commit_all(project, "our edits")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DirtyLocalWarning)
        copier.run_update(
            str(project), defaults=True, overwrite=True, unsafe=True, vcs_ref="HEAD", quiet=True
        )
    assert leftovers(project) == []
    assert "## Our notes" in (project / "README.md").read_text()
    fresh = render(TEMPLATE_ROOT, tmp_path / "fresh", "HEAD")
    # The recorded commit differs while the template has uncommitted changes (copier commits
    # them afresh for each render); every answer must not.
    assert differences(project, fresh) - {".copier-answers.yml"} == {"README.md", "pyproject.toml"}
    answers = [
        {key: value for key, value in yaml.safe_load(path.read_text()).items() if key != "_commit"}
        for path in (project / ".copier-answers.yml", fresh / ".copier-answers.yml")
    ]
    assert answers[0] == answers[1]
