"""Both DAGs import cleanly and run end to end with ``dag.test()`` on the shipped data (offline).

Runs in the Airflow venv as subprocesses (about a minute in all on 2 cores); skipped with a
reason when ``.venv-airflow`` is missing (failed under CI=true).
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq
import pytest

from pipeline.jobs.findings import read_findings
from sim.adapters.history import open_history
from tests.airflow.conftest import BATCH_DAG, DATA_DAG, ROOT, AirflowEnv
from tests.ops.pushgateway import pushgateway
from tests.ops.scrape import scrape, value

pytestmark = [pytest.mark.airflow, pytest.mark.slow]
SYMBOLS = ["BTCUSDT", "ETHUSDT", "SOLUSDT", "BNBUSDT", "XRPUSDT"]


def test_dag_files_import_without_errors(airflow_env: AirflowEnv):
    done = airflow_env.airflow("dags", "list-import-errors", "--local")
    assert done.returncode == 0, (done.stdout, done.stderr[-3000:])
    assert "No data found" in done.stdout, done.stdout


IMPORT_CHECK = """
import importlib.util, sys
for path in sys.argv[1:]:
    spec = importlib.util.spec_from_file_location("dag_" + str(len(sys.modules)), path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.DAG.dag_id in ("crypto_data", "crypto_batch_processing")
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("sim", "pipeline", "duckdb", "xgboost"))
print("LOADED", loaded)
"""


def test_importing_the_dag_files_runs_nothing_of_the_project(airflow_env: AirflowEnv):
    """Parsing a DAG file imports neither the project nor its engines (so no I/O can happen)."""
    python = str(ROOT / ".venv-airflow" / "bin" / "python")
    done = airflow_env.run(python, "-c", IMPORT_CHECK, str(DATA_DAG), str(BATCH_DAG))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "LOADED []" in done.stdout, done.stdout


def _snapshot(env: AirflowEnv, runtime: Path, start: datetime, end: datetime) -> dict[str, Any]:
    """Findings, the stored rows around the interval and the whole coverage, and the features."""
    store = open_history(env.env["HISTORY_URL"])
    try:
        rows = {
            s: store.stored_rows(s, "1h", start - pd.Timedelta(hours=3), end + pd.Timedelta(hours=3))
            for s in SYMBOLS
        }
        coverage = {s: store.coverage(s, "1h") for s in SYMBOLS}
    finally:
        store.close()
    features = {p.name: pq.read_table(p) for p in sorted((runtime / "features").glob("*.parquet"))}
    return {
        "findings": read_findings(runtime / "quality" / "findings"),
        "rows": rows,
        "coverage": coverage,
        "features": features,
    }


def test_data_dag_runs_and_a_rerun_of_the_interval_leaves_the_same_rows(airflow_env: AirflowEnv):
    runtime = airflow_env.work / "runtime"
    conf = {"source": "offline", "runtime_dir": str(runtime)}
    with pushgateway() as (url, port):  # the run's last task pushes its success there
        airflow_env.env["PUSHGATEWAY_URL"] = url
        first = airflow_env.dag_test(DATA_DAG, "2023-06-01T11:00:00+00:00", conf)
        pushed = value(scrape(port), "sim_batch_last_success_timestamp_seconds", dag="crypto_data")
    del airflow_env.env["PUSHGATEWAY_URL"]
    assert first["state"] == "success"
    assert {t: v["state"] for t, v in first["tasks"].items()} == dict.fromkeys(
        ["backfill", "check", "symbols", "compact", "features", "record_success"], "success"
    )
    # compact and features are mapped: one task instance per symbol, in the symbols' order
    assert first["tasks"]["symbols"]["xcom"] == SYMBOLS
    features = [m["xcom"] for m in first["tasks"]["features"]["mapped"]]
    assert [list(f) for f in features] == [[s] for s in SYMBOLS]
    assert len(first["tasks"]["compact"]["mapped"]) == len(SYMBOLS)
    assert first["tasks"]["record_success"]["xcom"]["pushed"] is True
    assert pushed is not None and abs(pushed - time.time()) < 600
    start = datetime.fromisoformat(first["data_interval_start"])
    end = datetime.fromisoformat(first["data_interval_end"])
    assert (start, end) == (datetime(2023, 6, 1, 10, tzinfo=UTC), datetime(2023, 6, 1, 11, tzinfo=UTC))
    fetched = first["tasks"]["backfill"]["xcom"]
    assert fetched["source"] == "offline"
    assert {s: (v["fetched"], v["written"]) for s, v in fetched["symbols"].items()} == dict.fromkeys(
        SYMBOLS, (1, 1)
    )
    assert first["tasks"]["check"]["xcom"] == dict.fromkeys(SYMBOLS, "ok")
    before = _snapshot(airflow_env, runtime, start, end)
    findings = before["findings"]
    assert list(findings["symbol"]) == sorted(SYMBOLS)
    assert (findings["interval_start"] == pd.Timestamp(start)).all()
    assert (findings[["expected", "fetched", "stored"]] == 1).all().all()
    assert (findings[["missing", "duplicates", "conflicts", "bad_ohlc", "mismatched"]] == 0).all().all()
    assert set(before["features"]) == {f"{s}-1h.parquet" for s in SYMBOLS}
    # the shipped BTC candle of 2023-06-01 10:00 UTC is what the store holds
    btc = [r for r in before["rows"]["BTCUSDT"] if r.open_time == start]
    assert len(btc) == 1 and btc[0].closed

    second = airflow_env.dag_test(DATA_DAG, "2023-06-01T11:00:00+00:00", conf)
    assert second["state"] == "success"
    after = _snapshot(airflow_env, runtime, start, end)
    pd.testing.assert_frame_equal(before["findings"], after["findings"])
    assert before["rows"] == after["rows"]
    assert before["coverage"] == after["coverage"]
    assert before["features"].keys() == after["features"].keys()
    assert all(before["features"][k].equals(after["features"][k]) for k in before["features"])


def _trade(env: AirflowEnv) -> dict[str, int]:
    """A ledger with two traders and one user without trades (replay prices of Dec 2023)."""
    from sim.services import Simulator
    from sim.settings import load_settings

    settings = load_settings(
        {k: env.env[k] for k in ("DATABASE_URL", "HISTORY_URL", "REPORTS_DIR", "MODELS_DIR")}, dotenv=False
    )
    sim = Simulator.open(settings=settings)
    sim.bcrypt_rounds = 4
    try:
        alice = sim.register("alice", "correct horse battery")
        bob = sim.register("bob", "correct horse battery")
        carol = sim.register("carol", "correct horse battery")
        sim.buy(alice.id, "BTCUSDT", quote_amount="1000")
        sim.buy(carol.id, "ETHUSDT", quote_amount="2500")
        cup = sim.create_competition(alice.id, "Dag cup", None, sim.now() + timedelta(hours=24))
        entry = sim.join_competition(bob.id, sim.competition(alice.id, cup)["invite_code"])
        sim.buy(entry, "BTCUSDT", quote_amount="500")  # an entry's fills get no per-user report
        sim.advance(48)
        sim.sell(alice.id, "BTCUSDT", "0.01")
    finally:
        sim.close()
    return {"alice": alice.id, "bob": bob.id, "carol": carol.id, "cup": cup}


def test_batch_dag_retrains_by_the_rule_and_builds_a_report_per_trader(airflow_env: AirflowEnv):
    ids = _trade(airflow_env)
    shipped = (ROOT / "models" / "served.json").read_bytes()
    conf = {"symbols": ["BTCUSDT"], "horizons": [1, 4], "quick": True, "report_batch_size": 1}
    result = airflow_env.dag_test(BATCH_DAG, "2023-12-31T00:30:00+00:00", conf)
    assert result["state"] == "success"
    tasks = result["tasks"]
    assert {t: v["state"] for t, v in tasks.items()} == dict.fromkeys(
        [
            "retrain_targets",
            "retrain",
            "score_forecasts",
            "report_batches",
            "reports",
            "finalize_competitions",
            "record_success",
        ],
        "success",
    )
    # the competition that ended during the replay is frozen by the batch
    assert tasks["finalize_competitions"]["xcom"] == [
        {"competition_id": ids["cup"], "competition": "Dag cup", "season": 1}
    ]
    # one mapped retrain per symbol and horizon, one mapped report task per batch of users
    assert tasks["retrain_targets"]["xcom"] == [
        {"symbol": "BTCUSDT", "horizon": 1},
        {"symbol": "BTCUSDT", "horizon": 4},
    ]
    trained = [m["xcom"] for m in tasks["retrain"]["mapped"]]
    assert [t["key"] for t in trained] == ["BTCUSDT-1h-h1", "BTCUSDT-1h-h4"]
    assert all(t["rows"] == 2000 for t in trained)
    assert all(t["reason"].startswith(("promoted", "not promoted", "unchanged")) for t in trained)
    assert (ROOT / "models" / "served.json").read_bytes() == shipped  # shipped models untouched
    served = (Path(airflow_env.env["MODELS_DIR"]) / "served.json").read_text()
    assert all(t["candidate_id"] in served for t in trained)  # both decisions, in the temp models dir
    assert tasks["report_batches"]["xcom"] == [[ids["alice"]], [ids["carol"]]]
    report_id = result["data_interval_start"][:10]
    assert report_id == "2023-12-30"
    reports = Path(airflow_env.env["REPORTS_DIR"])
    for name in ("alice", "carol"):
        html = reports / str(ids[name]) / f"{report_id}.html"
        table = reports / str(ids[name]) / f"{report_id}.parquet"
        assert html.is_file() and table.is_file(), name
        assert "Trading report" in html.read_text()
    assert not (reports / str(ids["bob"])).exists()  # no trades, no report
    built = [[(r["user_id"], r["report_id"]) for r in m["xcom"]] for m in tasks["reports"]["mapped"]]
    assert built == [[(ids["alice"], report_id)], [(ids["carol"], report_id)]]
    score = tasks["score_forecasts"]["xcom"]
    assert "skipped" in score or "result" in score


def test_batch_dag_with_nothing_to_map_still_records_its_success(airflow_env: AirflowEnv):
    """No horizon to retrain and no user with fills: both mapped tasks expand to nothing (skipped),
    and the run still ends with ``record_success`` done (issue 19: mapped tasks)."""
    conf = {"symbols": ["BTCUSDT"], "horizons": [], "quick": True}
    result = airflow_env.dag_test(BATCH_DAG, "2023-12-31T00:30:00+00:00", conf)
    states = {t: v["state"] for t, v in result["tasks"].items()}
    assert result["state"] == "success", states
    assert (states["retrain"], states["reports"]) == ("skipped", "skipped")
    assert result["tasks"]["report_batches"]["xcom"] == []
    assert states["record_success"] == "success", states
