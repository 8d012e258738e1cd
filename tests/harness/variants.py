"""Named answer sets: deep variants for the boot layer, a pairwise render matrix, edge cases."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml
from allpairspy import AllPairs

TEMPLATE_ROOT = Path(__file__).resolve().parents[2]

Answers = dict[str, Any]

# Installed, booted against real services and tested with their own suites. Each states every
# capability answer (CAPABILITY_QUESTIONS): together they boot every pair of their values.
DEEP_VARIANTS: dict[str, Answers] = {
    "postgresql": {
        "project_name": "Deep Postgres",
        "database": "postgresql",
        "use_redis": True,
        "audit_log": True,
        "metrics": True,
    },
    # Without the audit trail and metrics: no table, routes, middleware or settings of them.
    "no-audit": {
        "project_name": "Deep Lean",
        "database": "postgresql",
        "use_redis": True,
        "audit_log": False,
        "metrics": False,
    },
    # A single instance: SQLite, with limits and pushes in process instead of Redis.
    "sqlite-no-redis": {
        "project_name": "Deep Sqlite",
        "database": "sqlite",
        "python_version": "3.13",
        "use_redis": False,
        "audit_log": True,
        "metrics": True,
    },
    # SQLite behind several processes sharing Redis, metrics without the audit trail.
    "sqlite-redis-no-audit": {
        "project_name": "Deep Sqlite Shared",
        "database": "sqlite",
        "use_redis": True,
        "audit_log": False,
        "metrics": True,
    },
    # PostgreSQL in one process: the audit trail without Redis, and without metrics.
    "postgresql-no-redis": {
        "project_name": "Deep Postgres Single",
        "database": "postgresql",
        "python_version": "3.11",
        "use_redis": False,
        "audit_log": True,
        "metrics": False,
    },
    # The least: SQLite in one process, no audit trail, no metrics.
    "sqlite-minimal": {
        "project_name": "Deep Minimal",
        "database": "sqlite",
        "use_redis": False,
        "audit_log": False,
        "metrics": False,
    },
}
# The questions whose answers change what runs: every pair of their values is booted.
CAPABILITY_QUESTIONS = ("database", "use_redis", "audit_log", "metrics")

# Answers whose derived names stress the naming rules.
EDGE_VARIANTS: dict[str, Answers] = {
    "unicode-name": {"project_name": "Café Ünïcode Sërvice"},
    "hyphens-and-spaces": {"project_name": "  orders -- Service  v2 "},
    "keyword-name": {"project_name": "Import"},
    # Sorts after "tests": import order must not depend on where the package name falls.
    "late-alphabet-name": {"project_name": "Zoo Keeper"},
    "longest-names": {
        "project_name": "Orders Fulfilment and Returns Gateway Service v2",
        "project_slug": "orders-fulfilment-and-returns-gateway-service-v2",
        "module_name": "orders_fulfilment_and_returns_gateway_v2",
    },
}


@cache
def questions() -> dict[str, dict[str, Any]]:
    """The questions of copier.yml (keys that do not start with an underscore)."""
    config = yaml.safe_load((TEMPLATE_ROOT / "copier.yml").read_text())
    return {key: value for key, value in config.items() if not key.startswith("_")}


def option_values() -> dict[str, list[Any]]:
    """Every question with a closed set of answers: choices and booleans."""
    options: dict[str, list[Any]] = {}
    for name, question in questions().items():
        if question.get("type") == "bool":
            options[name] = [True, False]
        elif "choices" in question:
            choices = question["choices"]
            options[name] = list(choices.values() if isinstance(choices, dict) else choices)
    return options


def pairwise_variants() -> dict[str, Answers]:
    """A small set of answer combinations that covers every pair of option values."""
    options = option_values()
    names = list(options)
    variants: dict[str, Answers] = {}
    for index, row in enumerate(AllPairs([options[name] for name in names]), start=1):
        answers = dict(zip(names, row, strict=True))
        label = "-".join(str(value) for value in row)
        variants[f"pairwise-{index}-{label}"] = {"project_name": f"Pairwise {index}", **answers}
    return variants


def all_variants() -> dict[str, Answers]:
    """Every named variant, deep ones first."""
    return {**DEEP_VARIANTS, **pairwise_variants(), **EDGE_VARIANTS}


def variant(name: str) -> Answers:
    """The answers of one named variant, or a clear error listing the names."""
    variants = all_variants()
    if name not in variants:
        raise KeyError(f"unknown variant '{name}'; known: {', '.join(variants)}")
    return variants[name]
