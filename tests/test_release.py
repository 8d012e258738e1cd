"""Releases: the changelog names the latest tag, or says that work after it is unreleased."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECTION = re.compile(r"^## (Unreleased|v\d+\.\d+\.\d+ \(\d{4}-\d{2}-\d{2}\))$", re.M)
# What a rendered project is made of: a change to any of these is a change users receive.
RENDERED = ("template", "copier.yml", "extensions")


def git(*arguments: str) -> str:
    result = subprocess.run(
        ["git", *arguments], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def release_tags() -> list[str]:
    """The release tags reachable from HEAD, newest first."""
    tags = git("tag", "--merged", "HEAD", "--list", "v*", "--sort=-v:refname").split()
    return [tag for tag in tags if re.fullmatch(r"v\d+\.\d+\.\d+", tag)]


def test_the_changelog_is_a_list_of_releases() -> None:
    sections = SECTION.findall((ROOT / "CHANGELOG.md").read_text())
    assert sections, "CHANGELOG.md has no '## vX.Y.Z (date)' or '## Unreleased' section"
    versions = [section.split()[0] for section in sections if section != "Unreleased"]
    assert "Unreleased" not in sections[1:], "'## Unreleased' goes first"
    assert len(versions) == len(set(versions)), "a release appears twice"


def test_the_latest_release_is_the_changelogs_or_later_work_is_unreleased() -> None:
    text = (ROOT / "CHANGELOG.md").read_text()
    top = SECTION.findall(text)[0]
    tags = release_tags()
    if not tags:
        # No tag in this clone: the changelog alone says what is released.
        assert top == "Unreleased" or top.startswith("v"), top
        return
    latest = tags[0]
    changed = git("diff", "--name-only", latest, "HEAD", "--", *RENDERED)
    released = [section.split()[0] for section in SECTION.findall(text) if section != "Unreleased"]
    assert latest in released, f"the tag {latest} has no section in CHANGELOG.md"
    if changed:
        assert top == "Unreleased", (
            f"rendered files changed since {latest} ({changed.splitlines()[:5]}): "
            "describe the change under '## Unreleased' in CHANGELOG.md"
        )
