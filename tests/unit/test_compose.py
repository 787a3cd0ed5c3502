"""docker-compose.yaml: valid against the compose specification, and consistent with the project.

No Docker engine runs here, so the file is checked statically: the schema, every project service's
command (the module, entry point or file it names exists and its arguments parse), and every
environment variable it sets for our code is one that ``sim.settings`` reads.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from pipeline.cli import parser
from sim.settings import VARIABLES

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yaml"
OURS = ("crypto-paper-sim:latest", "crypto-paper-sim-airflow:latest")


def interpolate(text: str) -> str:
    """Compose's ${VAR:-default} / ${VAR:?message} with nothing set: the default (or empty)."""
    text = re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", text)
    return re.sub(r"\$\{[A-Z_]+(:\?[^}]*)?\}", "value", text)


@pytest.fixture(scope="module")
def services() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE.read_text())["services"]


def test_compose_file_matches_the_compose_specification() -> None:
    exe = shutil.which("check-jsonschema", path=str(Path(sys.executable).parent))
    assert exe, "check-jsonschema is in requirements-dev.txt"
    result = subprocess.run(
        [exe, "--builtin-schema", "vendor.compose-spec", str(COMPOSE)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_project_services_run_commands_that_exist(services: dict[str, Any]) -> None:
    ours = {n: s for n, s in services.items() if s.get("image") in OURS}
    assert {"migrate", "producer", "consumer", "app", "airflow-init", "airflow-scheduler"} <= set(ours)
    for name, svc in ours.items():
        command = [interpolate(str(c)) for c in svc.get("command", [])]
        if command[:3] == ["python", "-m", "pipeline"]:
            parser().parse_args(command[3:])  # exits on an unknown subcommand or option
        elif command[:2] == ["streamlit", "run"]:
            assert (ROOT / command[2]).is_file(), name
        elif command[:3] == ["python", "-m", "ui.serve"]:  # checks the cookie key, then streamlit run
            assert (ROOT / "ui/serve.py").is_file() and (ROOT / "app.py").is_file(), name
        elif command[:1] == ["alembic"]:
            assert (ROOT / "alembic.ini").is_file()
            assert (ROOT / "sim/adapters/ledger/migrations/env.py").is_file()
        elif command[:1] == ["airflow"] or "airflow" in " ".join(command):
            assert svc["build"]["dockerfile"] == "airflow/Dockerfile"
        else:
            pytest.fail(f"{name}: unknown command {command}")
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert "requirements.txt" in dockerfile and 'CMD ["python", "-m", "ui.serve"' in dockerfile


def test_project_services_set_only_variables_the_settings_read(services: dict[str, Any]) -> None:
    for name, svc in services.items():
        if svc.get("image") not in OURS:
            continue
        for key in svc.get("environment", {}):
            assert key in VARIABLES or key.startswith("AIRFLOW__"), f"{name} sets {key}, which nothing reads"


def test_dags_folder_and_volumes(services: dict[str, Any]) -> None:
    env = services["airflow-scheduler"]["environment"]
    assert env["AIRFLOW__CORE__DAGS_FOLDER"] == "/opt/sim/airflow/dags"
    assert (ROOT / "airflow/Dockerfile").is_file()
    for svc in ("postgres", "redis", "kafka", "app"):
        assert "healthcheck" in services[svc], svc
    named = yaml.safe_load(COMPOSE.read_text())["volumes"]
    assert {"pgdata", "redisdata", "kafkadata"} <= set(named)
    assert "Upgrade $http_upgrade" in (ROOT / "deploy/nginx/default.conf").read_text()


def test_monitoring_profile_uses_the_official_images_and_mounts_files_that_exist(
    services: dict[str, Any],
) -> None:
    images = {
        "prometheus": "prom/prometheus:",
        "grafana": "grafana/grafana:",
        "pushgateway": "prom/pushgateway:",
    }
    for name, image in images.items():
        svc = services[name]
        assert svc["image"].startswith(image) and svc["profiles"] == ["monitoring"], name
        for volume in svc.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (ROOT / source).exists(), f"{name} mounts {source}, which is missing"
    assert "--config.file=/etc/prometheus/prometheus.yml" in services["prometheus"]["command"]
    # every process of ours serves metrics and logs in the configured format
    for name in ("producer", "consumer", "app"):
        env = services[name]["environment"]
        assert env["METRICS_PORT"] == 9100 and interpolate(env["LOG_FORMAT"]) == "json", name


def test_celery_profile_runs_workers_on_a_broker_of_their_own(services: dict[str, Any]) -> None:
    """Issue 19: ``AIRFLOW_EXECUTOR=CeleryExecutor docker compose --profile celery up`` gives every
    Airflow service the CeleryExecutor, a Redis broker for it, and workers to spread mapped tasks."""
    worker, broker = services["airflow-worker"], services["airflow-broker"]
    assert worker["profiles"] == broker["profiles"] == ["celery"]
    assert worker["command"] == ["airflow", "celery", "worker"]
    assert worker["image"] == services["airflow-scheduler"]["image"]
    assert worker["environment"] == services["airflow-scheduler"]["environment"]  # one executor for all
    env = worker["environment"]
    assert env["AIRFLOW__CORE__EXECUTOR"] == "${AIRFLOW_EXECUTOR:-LocalExecutor}"
    assert env["AIRFLOW__CELERY__BROKER_URL"] == "redis://airflow-broker:6379/0"
    assert interpolate(env["AIRFLOW__CELERY__RESULT_BACKEND"]).endswith("@postgres:5432/airflow")
    assert broker["image"].startswith("redis:") and "healthcheck" in broker
    assert worker["depends_on"]["airflow-broker"] == {"condition": "service_healthy"}
    assert "celery" not in {
        p for s in ("airflow-scheduler", "postgres") for p in services[s].get("profiles", [])
    }


def test_proxy_profile_puts_two_app_processes_behind_nginx(services: dict[str, Any]) -> None:
    """Issue 19: ``app`` and ``app2`` (same image, command and settings) behind nginx, whose
    upstream hashes the client address so a browser's websocket and media requests stay on one."""
    app, app2 = services["app"], services["app2"]
    assert app2["profiles"] == ["proxy"] and services["nginx"]["profiles"] == ["proxy"]
    assert (app2["image"], app2["command"], app2["environment"]) == (
        app["image"],
        app["command"],
        app["environment"],
    )
    assert set(services["nginx"]["depends_on"]) == {"app", "app2"}
    conf = (ROOT / "deploy/nginx/default.conf").read_text()
    upstream = re.search(r"upstream streamlit \{([^}]*)\}", conf)
    assert upstream is not None, conf
    assert "hash $remote_addr consistent;" in upstream[1]
    assert re.findall(r"server ([^;\s]+)", upstream[1]) == ["app:8501", "app2:8501"]
