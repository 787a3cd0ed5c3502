"""The monitoring profile, checked without an engine: Prometheus's config and rules with promtool
(Debian's ``prometheus`` package), the alert rules' own unit tests, Grafana's provisioning files
and dashboards against the fields Grafana reads, and every metric an alert or a panel names is
one the code exports.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from sim.observability.metrics import exported_names
from tests.services import unavailable

ROOT = Path(__file__).resolve().parents[2]
PROMETHEUS = ROOT / "deploy" / "prometheus"
GRAFANA = ROOT / "deploy" / "grafana"
COMPOSE = ROOT / "docker-compose.yaml"
# what the prometheus client, Prometheus itself and PromQL add to our names
STANDARD = {"up", "process_resident_memory_bytes", "process_cpu_seconds_total"}


def promtool(*args: str) -> subprocess.CompletedProcess[str]:
    exe = shutil.which("promtool")
    if exe is None:
        unavailable("promtool", "Debian's prometheus package is not installed (apt-get install prometheus)")
    return subprocess.run([exe, *args], cwd=PROMETHEUS, capture_output=True, text=True, timeout=60)


def alert_rules() -> list[dict[str, Any]]:
    groups = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())["groups"]
    return [rule for group in groups for rule in group["rules"]]


def dashboards() -> dict[str, dict[str, Any]]:
    return {p.name: json.loads(p.read_text()) for p in sorted((GRAFANA / "dashboards").glob("*.json"))}


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression selects (ours start with ``sim_``)."""
    names = set(re.findall(r"\bsim_[a-z0-9_]+", expr))
    names |= set(re.findall(r"\b(up|process_[a-z_]+)\b(?=\s*[{\[])", expr))
    return names


def test_prometheus_config_and_alert_rules_pass_promtool() -> None:
    for args in (("check", "config", "prometheus.yml"), ("check", "rules", "alerts.yml")):
        done = promtool(*args)
        assert done.returncode == 0, done.stdout + done.stderr


def test_the_alerts_fire_on_their_unit_tests() -> None:
    done = promtool("test", "rules", "alerts.test.yml")
    assert done.returncode == 0 and "SUCCESS" in done.stdout, done.stdout + done.stderr
    tested = set(re.findall(r"alertname: (\w+)", (PROMETHEUS / "alerts.test.yml").read_text()))
    assert tested == {r["alert"] for r in alert_rules()}


def test_the_issue_s_alerts_exist() -> None:
    exprs = {r["alert"]: r["expr"] for r in alert_rules()}
    assert "sim_feed_staleness_seconds" in exprs["FeedStale"]
    assert "sim_consumer_lag_messages" in exprs["ConsumerLagGrowing"]
    assert "sim_messages_dead_lettered_total" in exprs["DeadLetterRateRising"]
    assert 'error_class="infrastructure"' in exprs["InfrastructureRefusalBurst"]
    for alert, dag in (
        ("DataDagNotSucceeded", "crypto_data"),
        ("BatchDagNotSucceeded", "crypto_batch_processing"),
    ):
        assert f'dag="{dag}"' in exprs[alert] and (ROOT / "airflow" / "dags" / f"{dag}.py").is_file()
    for rule in alert_rules():
        assert rule["labels"]["severity"] in ("page", "warn") and rule["annotations"]["summary"]
        assert rule["alert"] in (ROOT / "README.md").read_text(), f"README explains {rule['alert']}"


def test_every_alert_and_panel_names_metrics_the_code_exports() -> None:
    exported = set(exported_names()) | STANDARD
    exprs = [r["expr"] for r in alert_rules()]
    exprs += [t["expr"] for d in dashboards().values() for p in d["panels"] for t in p["targets"]]
    used: set[str] = set()
    for expr in exprs:
        names = metric_names(expr)
        assert names, f"no metric in {expr!r}"
        assert names <= exported, f"{expr!r} names {sorted(names - exported)}, which nothing exports"
        used |= names
    # and every metric of ours is shown or alerted on somewhere
    ours = {n for n in exported_names() if not n.endswith(("_sum", "_created"))}
    ours = {n for n in ours if not (n.endswith("_count") and n[: -len("_count")] + "_bucket" in ours)}
    assert ours <= used | {n.replace("_count", "_bucket") for n in used}, sorted(ours - used)


def test_grafana_provisioning_and_dashboards_have_the_fields_grafana_reads() -> None:
    compose = yaml.safe_load(COMPOSE.read_text())["services"]["grafana"]
    mounts = {v.split(":")[0]: v.split(":")[1] for v in compose["volumes"] if v.startswith("./")}
    source = yaml.safe_load((GRAFANA / "provisioning/datasources/prometheus.yml").read_text())
    assert source["apiVersion"] == 1
    (ds,) = source["datasources"]
    assert ds["type"] == "prometheus" and ds["url"] == "http://prometheus:9090" and ds["access"] == "proxy"
    providers = yaml.safe_load((GRAFANA / "provisioning/dashboards/sim.yml").read_text())
    assert providers["apiVersion"] == 1
    (provider,) = providers["providers"]
    assert provider["type"] == "file" and provider["options"]["path"] == mounts["./deploy/grafana/dashboards"]
    assert mounts["./deploy/grafana/provisioning"] == "/etc/grafana/provisioning"
    boards = dashboards()
    assert set(boards) == {"feed-pipeline.json", "trading.json", "app.json"}
    uids = set()
    for name, board in boards.items():
        assert isinstance(board["uid"], str) and 0 < len(board["uid"]) <= 40, name
        assert board["title"] and isinstance(board["schemaVersion"], int) and board.get("id") is None, name
        uids.add(board["uid"])
        ids = [p["id"] for p in board["panels"]]
        assert len(ids) == len(set(ids)) and all(isinstance(i, int) for i in ids), name
        for p in board["panels"]:
            assert p["type"] in ("timeseries", "stat", "table", "gauge", "bargauge"), (name, p["title"])
            grid = p["gridPos"]
            assert all(isinstance(grid[k], int) for k in "hwxy") and grid["x"] + grid["w"] <= 24, (name, p)
            assert p["datasource"]["uid"] == ds["uid"] and p["targets"], (name, p["title"])
            refs = [t["refId"] for t in p["targets"]]
            assert len(refs) == len(set(refs)) and all(t["expr"] for t in p["targets"]), (name, p["title"])
    assert len(uids) == len(boards)
    home = compose["environment"]["GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH"]
    assert Path(home).name in boards and home.startswith(mounts["./deploy/grafana/dashboards"])


@pytest.mark.parametrize("job", ["producer", "consumer", "app", "pushgateway"])
def test_prometheus_scrapes_every_service(job: str) -> None:
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    jobs = {c["job_name"]: c for c in config["scrape_configs"]}
    services = yaml.safe_load(COMPOSE.read_text())["services"]
    (target,) = jobs[job]["static_configs"][0]["targets"]
    host, port = target.split(":")
    assert host in services
    if job != "pushgateway":
        env = services[host]["environment"]
        assert str(env["METRICS_PORT"]) == port and env["LOG_FORMAT"]
    else:
        assert jobs[job]["honor_labels"] is True
        airflow = services["airflow-scheduler"]["environment"]
        assert airflow["PUSHGATEWAY_URL"] == f"http://{target}"
    for name in ("prometheus", "grafana", "pushgateway"):
        assert services[name]["profiles"] == ["monitoring"]
