"""The rendered service's AsyncAPI document is valid against the official AsyncAPI 3.0.0 schema.

The schema comes from the npm package @asyncapi/specs (``tests/harness/asyncapi_schema.py``).
``assert_writes_a_valid_asyncapi_3_document`` runs an installed project's command; the render
layer's toolchain test calls it on VARIANTS, which it installs anyway.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema

from tests.harness.asyncapi_schema import asyncapi_schema
from tests.harness.project import Project

VARIANTS = ["postgresql", "sqlite-minimal", "longest-names"]


def errors(document: object) -> list[str]:
    """What the AsyncAPI 3.0.0 schema finds wrong in ``document``, one line each."""
    validator = jsonschema.Draft7Validator(asyncapi_schema())
    found = sorted(validator.iter_errors(document), key=lambda error: list(error.absolute_path))
    return [f"{'/'.join(map(str, error.absolute_path))}: {error.message[:300]}" for error in found]


def references(node: object) -> Iterator[str]:
    """Every ``$ref`` in ``node``."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield ref
        for value in node.values():
            yield from references(value)
    elif isinstance(node, list):
        for value in node:
            yield from references(value)


def resolves(document: dict[str, Any], ref: str) -> bool:
    """Whether a local reference names a place in ``document``."""
    if not ref.startswith("#/"):
        return False
    node: object = document
    for part in ref.removeprefix("#/").split("/"):
        key = part.replace("~1", "/").replace("~0", "~")
        if not isinstance(node, dict) or key not in node:
            return False
        node = node[key]
    return True


def test_the_schema_refuses_what_asyncapi_3_refuses() -> None:
    # Guards the validation below against passing everything (a schema that failed to load
    # its definitions, a wrong draft).
    assert errors({"asyncapi": "3.0.0", "info": {"title": "t", "version": "1"}}) == []
    assert errors({"asyncapi": "3.0.0"}) != []
    bad_operation = {
        "asyncapi": "3.0.0",
        "info": {"title": "t", "version": "1"},
        "operations": {"x": {"action": "publish", "channel": {"$ref": "#/channels/c"}}},
    }
    assert errors(bad_operation) != []


def assert_writes_a_valid_asyncapi_3_document(project: Project, tmp_path: Path) -> None:
    """The installed project's command writes a document the AsyncAPI 3.0.0 schema accepts,
    with every reference resolved and every package of the router. The render layer's
    toolchain test calls it on the VARIANTS, where it installs them anyway."""
    output = tmp_path / "asyncapi.json"
    module = f"{project.module}.ws.asyncapi"
    project.run(["uv", "run", "--no-sync", "python", "-m", module, "--output", str(output)])
    document = json.loads(output.read_text(encoding="utf-8"))
    assert errors(document) == []
    assert [ref for ref in references(document) if not resolves(document, ref)] == []
    stdout = project.run(["uv", "run", "--no-sync", "python", "-m", module]).stdout
    assert json.loads(stdout) == document
    operations = document["operations"].values()
    pkg_ids = {operation["x-pkg-id"] for operation in operations if "x-pkg-id" in operation}
    assert set(range(1, 7)) <= pkg_ids  # the authors' packages
    assert (7 in pkg_ids) == bool(project.answers["audit_log"])  # GET_AUDIT_LOG
    custom = (project.root / "src" / project.module / "custom" / "packages.py").read_text()
    assert ("1234" in custom) == (1234 in pkg_ids)  # a scaffolded package is documented too
