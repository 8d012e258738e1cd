"""The capability table: one row per question that switches something off or picks a backend.

From its row the render layer knows what a capability that the answers switched off must not
leave behind: file names and lines matching its traces, its compose services, and its own files.
Its own files are found in the template, not listed: every template path whose name holds a
Jinja condition on the row's question, e.g. ``{% if use_redis %}store.py{% endif %}.jinja`` or a
directory ``{% if audit_log %}audit{% endif %}``. A new capability is one row here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import PurePosixPath
from typing import Any

from jinja2 import Environment, StrictUndefined, meta

from tests.harness.variants import TEMPLATE_ROOT

TEMPLATE_DIR = TEMPLATE_ROOT / "template"  # copier.yml's _subdirectory
TEMPLATES_SUFFIX = ".jinja"  # copier.yml's _templates_suffix

# Path names are not HTML: copier renders them without escaping, and so do we.
_NAMES = Environment(undefined=StrictUndefined, keep_trailing_newline=True, autoescape=False)  # noqa: S701
_TAG = re.compile(r"\{%-?\s*(.*?)\s*-?%\}")
_EXPRESSION = re.compile(r"\{\{.*?\}\}")


@dataclass(frozen=True)
class Capability:
    """Something an answer keeps or switches off: a feature, or one backend of a choice."""

    name: str  # for messages: "Redis", "the audit trail"
    question: str  # the copier.yml question that decides it
    on: tuple[Any, ...]  # the answers that keep it; every other answer switches it off
    traces: re.Pattern[str]  # no file name or line may match it when it is off
    services: tuple[str, ...] = ()  # compose services it brings: present iff it is on

    def is_on(self, answers: Mapping[str, Any]) -> bool:
        """Whether ``answers`` (every question answered, as in .copier-answers.yml) keep it."""
        if self.question not in answers:
            raise KeyError(f"the answers have no '{self.question}', which decides {self.name}")
        return answers[self.question] in self.on

    def files(self) -> list[PurePosixPath]:
        """The template paths (relative to template/) whose names hold a condition on it."""
        return [path for path in conditional_paths() if self.question in condition_names(path)]


CAPABILITIES: tuple[Capability, ...] = (
    Capability(
        name="Redis",
        question="use_redis",
        on=(True,),
        traces=re.compile(r"redis", re.IGNORECASE),
        services=("redis",),
    ),
    Capability(
        name="the audit trail",
        question="audit_log",
        on=(True,),
        traces=re.compile(r"audit", re.IGNORECASE),
    ),
    Capability(
        name="metrics",
        question="metrics",
        on=(True,),
        traces=re.compile(r"prometheus|metrics", re.IGNORECASE),
        services=("prometheus", "grafana"),  # compose's "observability" profile
    ),
    Capability(
        name="PostgreSQL",
        question="database",
        on=("postgresql",),
        traces=re.compile(r"postgres|asyncpg", re.IGNORECASE),
        services=("postgres",),
    ),
    Capability(
        name="SQLite",
        question="database",
        on=("sqlite",),
        traces=re.compile(r"sqlite", re.IGNORECASE),
    ),
)

# Questions with a closed set of answers (bool or choices) that are not capabilities, and why.
NOT_CAPABILITIES: dict[str, str] = {
    "python_version": "the Python of the Docker image and CI; every version has the same files",
}


def capability_questions() -> set[str]:
    return {capability.question for capability in CAPABILITIES}


@cache
def conditional_paths() -> list[PurePosixPath]:
    """Every template path (relative to template/) with a Jinja tag in its name."""
    return sorted(
        PurePosixPath(path.relative_to(TEMPLATE_DIR).as_posix())
        for path in TEMPLATE_DIR.rglob("*")
        if "{%" in str(path.relative_to(TEMPLATE_DIR))
    )


def condition_names(path: PurePosixPath) -> set[str]:
    """The variables the Jinja tags in ``path``'s names test (``{{ }}`` expressions aside)."""
    names: set[str] = set()
    for part in path.parts:
        if "{%" in part:
            names |= meta.find_undeclared_variables(_NAMES.parse(_EXPRESSION.sub("", part)))
    return names


def _render_parts(parts: Iterable[str], answers: Mapping[str, Any]) -> list[str]:
    parts = list(parts)
    if parts[-1].endswith(TEMPLATES_SUFFIX):
        parts[-1] = parts[-1].removesuffix(TEMPLATES_SUFFIX)
    return [_NAMES.from_string(part).render(answers) for part in parts]


def destination(path: PurePosixPath, answers: Mapping[str, Any]) -> PurePosixPath | None:
    """Where copier writes template path ``path`` with ``answers``; None if it skips it.

    As copier does: the templates suffix comes off the file name, then every part of the path
    is rendered, and a part that renders empty skips the file or directory.
    """
    rendered = _render_parts(path.parts, answers)
    return PurePosixPath(*rendered) if all(rendered) else None


def switched_destination(path: PurePosixPath, answers: Mapping[str, Any]) -> PurePosixPath:
    """Where ``path`` lands when its conditions hold: its names without their ``{% %}`` tags.

    Only ``{% if ... %}NAME{% endif %}`` switches are understood; a name with any other tag
    (else, elif, for) is refused, since what it renders when off cannot be told from it.
    """
    for part in path.parts:
        for tag in _TAG.findall(part):
            keyword = tag.split(maxsplit=1)[0] if tag else ""
            if keyword not in {"if", "endif"}:
                raise ValueError(
                    f"template path {path}: only '{{% if ... %}}NAME{{% endif %}}' names are "
                    f"understood, not '{{% {tag} %}}'; write one path per condition instead"
                )
    return PurePosixPath(*_render_parts((_TAG.sub("", part) for part in path.parts), answers))


def expected_files(
    paths: Iterable[PurePosixPath], answers: Mapping[str, Any]
) -> dict[PurePosixPath, list[tuple[PurePosixPath, bool]]]:
    """For each destination of ``paths``: the template paths landing there, and which render.

    Several template paths may land on one destination (``{% if use_redis %}open.py{% endif %}``
    and ``{% if not use_redis %}open.py{% endif %}``): it must exist iff one of them renders.
    """
    expected: dict[PurePosixPath, list[tuple[PurePosixPath, bool]]] = {}
    for path in paths:
        target = switched_destination(path, answers)
        rendered = destination(path, answers)
        if rendered is not None and rendered != target:
            raise ValueError(
                f"template path {path} renders to {rendered}, not to {target}: "
                "only '{% if ... %}NAME{% endif %}' switches are understood in names"
            )
        expected.setdefault(target, []).append((path, rendered is not None))
    return expected
