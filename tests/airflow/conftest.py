"""Fixtures for the Airflow tests: the Airflow venv run as subprocesses on a temp AIRFLOW_HOME.

The project's test venv has no Airflow; Airflow commands run with ``.venv-airflow/bin/...`` from
the repository root. One SQLite Airflow database is migrated per test module; each test gets its
own ledger, history store, reports and models directories through the environment, so the
shipped ``models/`` and ``data/runtime/`` are never touched.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tests import services

ROOT = Path(__file__).resolve().parents[2]
AIRFLOW_BIN = ROOT / ".venv-airflow" / "bin"
RUNNER = ROOT / "tests" / "airflow" / "run_dag.py"
DATA_DAG = ROOT / "airflow" / "dags" / "crypto_data.py"
BATCH_DAG = ROOT / "airflow" / "dags" / "crypto_batch_processing.py"


@dataclass
class AirflowEnv:
    home: Path
    work: Path
    env: dict[str, str]

    def run(self, *args: str, timeout: float = 240) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            list(args), cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=timeout, check=False
        )

    def airflow(self, *args: str) -> subprocess.CompletedProcess[str]:
        return self.run(str(AIRFLOW_BIN / "airflow"), *args)

    def dag_test(self, dag_file: Path, logical_date: str, conf: dict[str, Any]) -> dict[str, Any]:
        """Run the DAG once with ``dag.test()``; the runner's RESULT (asserts the run succeeded)."""
        done = self.run(
            str(AIRFLOW_BIN / "python"), str(RUNNER), str(dag_file), logical_date, json.dumps(conf)
        )
        lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
        assert done.returncode == 0 and lines, (done.stdout[-4000:], done.stderr[-6000:])
        result: dict[str, Any] = json.loads(lines[-1][len("RESULT ") :])
        return result


@pytest.fixture(scope="module")
def airflow_home(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A migrated Airflow SQLite home shared by the module's tests."""
    if not (AIRFLOW_BIN / "airflow").exists():
        services.unavailable("Airflow", f"{AIRFLOW_BIN / 'airflow'} is missing (make airflow-venv)")
    home = tmp_path_factory.mktemp("airflow_home")
    env = _base_env(home)
    done = subprocess.run(
        [str(AIRFLOW_BIN / "airflow"), "db", "migrate"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    yield home


def _base_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AIRFLOW")}
    env.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__DAGS_FOLDER=str(ROOT / "airflow" / "dags"),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__UNIT_TEST_MODE="False",
        AIRFLOW__LOGGING__LOGGING_LEVEL="WARNING",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


@pytest.fixture
def airflow_env(airflow_home: Path, tmp_path: Path) -> AirflowEnv:
    """The Airflow home plus this test's own ledger, history, reports and models (a copy)."""
    models = tmp_path / "models"
    shutil.copytree(ROOT / "models", models)
    env = _base_env(airflow_home)
    env.update(
        DATABASE_URL=f"sqlite:///{tmp_path}/sim.sqlite3",
        HISTORY_URL=f"duckdb:///{tmp_path}/history.duckdb",
        REPORTS_DIR=str(tmp_path / "reports"),
        MODELS_DIR=str(models),
        EMBEDDED_FEED="0",
    )
    for name in ("REDIS_URL", "KAFKA_BOOTSTRAP_SERVERS", "SYMBOLS"):
        env.pop(name, None)
    return AirflowEnv(airflow_home, tmp_path, env)
