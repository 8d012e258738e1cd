"""Render layer: the observability profile (Prometheus and Grafana in compose) of each variant.

With metrics on, promtool (Prometheus' own checker, built once by tests/harness/promtool.py)
accepts the rendered Prometheus configuration, its alert rules and every dashboard query; every
panel uses the provisioned data source; and every metric the dashboard and the alerts query is
one the rendered service defines. With metrics off, nothing of the profile is rendered.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.harness.compose_check import validate_compose
from tests.harness.observability import (
    as_promql,
    dashboard_exprs,
    dashboard_panels,
    defined_samples,
    metric_names,
    rule_exprs,
)
from tests.harness.project import Project
from tests.harness.promtool import check_config, check_rules
from tests.harness.render import render
from tests.harness.variants import all_variants

VARIANTS = all_variants()
# The variants with metrics on (the answer's default), which render the profile.
OBSERVED = [name for name, answers in VARIANTS.items() if answers.get("metrics", True)]
PROFILE_SERVICES = {"prometheus", "grafana"}
# Series Prometheus itself attaches to every scrape, not families of the service.
SCRAPE_SERIES = {"up"}


def test_metric_names_are_read_from_promql() -> None:
    expr = (
        "histogram_quantile(0.99, sum by (le, route) "
        '(rate(x_bucket{status=~"5.."}[$__rate_interval])))'
        " / on (route) group_left sum without (pod) (y_total offset 5m) > bool 1e3"
        " and up == 0 or vector(1) unless absent(z)"
    )
    assert metric_names(expr) == {"x_bucket", "y_total", "up", "z"}


def test_sample_names_follow_prometheus_client(tmp_path: Path) -> None:
    source = tmp_path / "families.py"
    source.write_text(
        'A = Counter("a_total", "")\nB = Counter("b", "")\nC = Gauge("c", "", ["x"])\n'
        'D = Histogram(name="d_seconds", documentation="")\nE = print("e")\n'
    )
    histogram = ["d_seconds_bucket", "d_seconds_count", "d_seconds_created", "d_seconds_sum"]
    expected = ["a_created", "a_total", "b_created", "b_total", "c", *histogram]
    assert sorted(defined_samples([source])) == expected


@pytest.fixture(scope="module", params=list(VARIANTS))
def project(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Project:
    name: str = request.param
    return Project(render(VARIANTS[name], tmp_path_factory.mktemp("observability") / name))


def test_the_profile_exists_exactly_when_metrics_do(project: Project) -> None:
    services = set(validate_compose(project.root / "compose.yaml"))
    compose = yaml.safe_load((project.root / "compose.yaml").read_text())
    if not project.answers["metrics"]:
        assert not (project.root / "observability").exists()
        assert services & PROFILE_SERVICES == set()
        return
    assert services >= PROFILE_SERVICES
    for name in PROFILE_SERVICES:
        service = compose["services"][name]
        assert service["profiles"] == ["observability"], name
        assert all(port.startswith("127.0.0.1:") for port in service["ports"]), name
        assert ":latest" not in service["image"], f"{name}: pin the image's version"
        assert "healthcheck" in service, name
        mounts = [volume for volume in service["volumes"] if volume.startswith("./")]
        assert mounts, f"{name}: no configuration mounted"
        assert all(volume.endswith(":ro") for volume in mounts), name


@pytest.fixture(scope="module", params=OBSERVED)
def observed(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Project:
    """A rendered variant with metrics on, so with the observability profile."""
    name: str = request.param
    return Project(render(VARIANTS[name], tmp_path_factory.mktemp("observed") / name))


def observability_dir(project: Project) -> Path:
    assert project.answers["metrics"]
    return project.root / "observability"


def test_promtool_accepts_the_configuration_and_the_alerts(observed: Project) -> None:
    prometheus = observability_dir(observed) / "prometheus"
    checked = check_config(prometheus / "prometheus.yml")
    assert "alerts.yml" in checked, f"the configuration loads no alert rules:\n{checked}"
    check_rules(prometheus / "alerts.yml")
    alerts = yaml.safe_load((prometheus / "alerts.yml").read_text())
    for rule in (rule for group in alerts["groups"] for rule in group["rules"]):
        assert rule.get("for"), f"{rule['alert']}: no 'for'"
        assert rule["labels"]["severity"] in {"critical", "warning", "info"}, rule["alert"]
        assert {"summary", "description"} <= set(rule["annotations"]), rule["alert"]
    alerts_named = {rule["alert"] for group in alerts["groups"] for rule in group["rules"]}
    assert ("AuditRecordsDropped" in alerts_named) == observed.answers["audit_log"]


def test_the_commented_token_block_is_valid_once_uncommented(
    observed: Project, tmp_path: Path
) -> None:
    # The README's steps for METRICS_TOKEN: uncomment the block and write the token file.
    prometheus = observability_dir(observed) / "prometheus"
    lines = (prometheus / "prometheus.yml").read_text().splitlines()
    start = lines.index("    # authorization:")
    end = start
    while end + 1 < len(lines) and lines[end + 1].startswith("    #   "):
        end += 1
    for number in range(start, end + 1):
        lines[number] = lines[number].replace("# ", "", 1)
    config = "\n".join(lines).replace("/etc/prometheus/", f"{tmp_path}/")
    assert f"credentials_file: {tmp_path}/token" in config
    (tmp_path / "prometheus.yml").write_text(config)
    (tmp_path / "alerts.yml").write_text((prometheus / "alerts.yml").read_text())
    with pytest.raises(ValueError, match="token"):
        check_config(tmp_path / "prometheus.yml")  # no token file yet
    (tmp_path / "token").write_text("a-metrics-token-of-16-characters\n")
    check_config(tmp_path / "prometheus.yml")


def load_dashboard(directory: Path) -> dict[str, Any]:
    (path,) = sorted((directory / "grafana" / "dashboards").glob("*.json"))
    dashboard: dict[str, Any] = json.loads(path.read_text())
    return dashboard


def test_every_panel_uses_the_provisioned_data_source(observed: Project) -> None:
    directory = observability_dir(observed)
    provisioning = directory / "grafana" / "provisioning" / "datasources" / "prometheus.yml"
    (source,) = yaml.safe_load(provisioning.read_text())["datasources"]
    dashboard = load_dashboard(directory)
    panels = dashboard_panels(dashboard)
    assert panels, "the dashboard has no panels"
    wrong = [
        panel["title"]
        for panel in panels
        for item in [panel, *panel.get("targets", [])]
        if item.get("datasource", {}).get("uid") != source["uid"]
    ]
    assert wrong == [], f"panels not on data source uid {source['uid']!r}"
    assert len({panel["id"] for panel in panels}) == len(panels), "panel ids repeat"


def test_promtool_parses_every_dashboard_query(observed: Project, tmp_path: Path) -> None:
    exprs = dashboard_exprs(load_dashboard(observability_dir(observed)))
    assert exprs, "the dashboard has no queries"
    # promtool parses PromQL in rule files: each query becomes a recording rule.
    rules = [
        {"record": f"dashboard:query_{index}", "expr": as_promql(expr)}
        for index, expr in enumerate(exprs)
    ]
    path = tmp_path / "dashboard-queries.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboard", "rules": rules}]}))
    check_rules(path)


def test_every_queried_metric_is_defined_by_the_service(observed: Project) -> None:
    directory = observability_dir(observed)
    queried: dict[str, set[str]] = {}
    sources = {
        "dashboard": dashboard_exprs(load_dashboard(directory)),
        "alerts": rule_exprs(directory / "prometheus" / "alerts.yml"),
    }
    for origin, exprs in sources.items():
        for expr in exprs:
            for name in metric_names(expr):
                queried.setdefault(name, set()).add(origin)
    package = observed.root / "src" / observed.answers["module_name"] / "metrics"
    defined = defined_samples(sorted(package.glob("*.py"))) | SCRAPE_SERIES
    assert "http_requests_total" in defined, f"no families read from {package}"

    undefined = {
        name: sorted(origins) for name, origins in sorted(queried.items()) if name not in defined
    }
    assert undefined == {}, "queried, but no family of the service exposes them"
