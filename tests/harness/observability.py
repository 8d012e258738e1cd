"""What a rendered observability profile queries: its PromQL, the metric names in it, and the
sample names the rendered service's metric families expose."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import yaml

# Grafana's interval variables, as a range PromQL itself accepts.
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__interval": "1m", "$__range": "1h"}

# What a metric name in a PromQL expression can be mistaken for once strings, label matchers,
# ranges and grouping clauses are gone: operators and modifiers spelled as words.
_KEYWORDS = frozenset(
    {"and", "or", "unless", "bool", "offset", "atan2", "inf", "nan", "start", "end"}
    | {"by", "without", "on", "ignoring", "group_left", "group_right"}
)
_STRINGS = re.compile(r'"(?:\\.|[^"\\])*"|\'(?:\\.|[^\'\\])*\'|`[^`]*`')
_MATCHERS = re.compile(r"\{[^{}]*\}")
_RANGES = re.compile(r"\[[^\[\]]*\]")
_GROUPING = re.compile(
    r"\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^()]*\)", re.IGNORECASE
)
_IDENTIFIER = re.compile(r"(?<![\w:.])([a-zA-Z_:][\w:]*)(?![\w:])(\s*\()?")

# prometheus-client's family constructors, and the sample names each exposes for a name.
_SAMPLES: dict[str, tuple[str, ...]] = {
    "Counter": ("_total", "_created"),
    "Gauge": ("",),
    "Histogram": ("_bucket", "_sum", "_count", "_created"),
    "Summary": ("", "_sum", "_count", "_created"),
    "Info": ("_info",),
    "Enum": ("",),
}


def as_promql(expr: str) -> str:
    """A Grafana query with its interval variables replaced, so that PromQL tools accept it."""
    for variable, value in GRAFANA_VARIABLES.items():
        expr = expr.replace(variable, value)
    return expr


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects (function and aggregation names aside)."""
    text = _STRINGS.sub('""', as_promql(expr))
    text = _MATCHERS.sub("", text)
    text = _RANGES.sub("", text)
    text = _GROUPING.sub("", text)
    return {
        name
        for name, call in _IDENTIFIER.findall(text)
        if not call and name.lower() not in _KEYWORDS
    }


def dashboard_exprs(dashboard: dict[str, Any]) -> list[str]:
    """Every query of a Grafana dashboard, rows' nested panels included."""
    exprs = []
    for panel in _panels(dashboard.get("panels", [])):
        exprs += [target["expr"] for target in panel.get("targets", []) if "expr" in target]
    return exprs


def _panels(panels: Iterable[dict[str, Any]]) -> Iterable[dict[str, Any]]:
    for panel in panels:
        yield panel
        yield from _panels(panel.get("panels", []))


def dashboard_panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    """Every panel of a Grafana dashboard, rows' nested panels included."""
    return list(_panels(dashboard.get("panels", [])))


def rule_exprs(path: Path) -> list[str]:
    """Every rule's expression in a Prometheus rule file."""
    document = yaml.safe_load(path.read_text())
    return [rule["expr"] for group in document["groups"] for rule in group["rules"]]


def defined_samples(sources: Iterable[Path]) -> set[str]:
    """The sample names of the metric families that these Python files construct.

    As prometheus-client names them: a counter ``x`` (or ``x_total``) exposes ``x_total``, a
    histogram ``x`` exposes ``x_bucket``, ``x_sum`` and ``x_count``, a gauge ``x`` itself.
    """
    names: set[str] = set()
    for source in sources:
        for node in ast.walk(ast.parse(source.read_text(), filename=str(source))):
            if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
                continue
            suffixes = _SAMPLES.get(node.func.id)
            name = _family_name(node)
            if suffixes is None or name is None:
                continue
            if node.func.id == "Counter":
                name = name.removesuffix("_total")
            names |= {name + suffix for suffix in suffixes}
    return names


def _family_name(call: ast.Call) -> str | None:
    candidates = [*call.args[:1], *(kw.value for kw in call.keywords if kw.arg == "name")]
    for candidate in candidates:
        if isinstance(candidate, ast.Constant) and isinstance(candidate.value, str):
            return candidate.value
    return None
