"""The DAG task bodies without Airflow: backfill, checks, compaction, features, retrain guard."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from pipeline.jobs import data
from pipeline.jobs.batch import run_retrain, run_score_forecasts
from pipeline.jobs.findings import read_findings
from sim.adapters.history import open_history
from sim.settings import load_settings

ROOT = Path(__file__).resolve().parents[2]
START, END = "2023-06-01T10:00:00+00:00", "2023-06-01T13:00:00+00:00"
SYMBOLS = ["BTCUSDT", "ETHUSDT"]


@pytest.fixture
def setup(tmp_path):
    settings = load_settings({"HISTORY_URL": f"duckdb:///{tmp_path}/history.duckdb"}, dotenv=False)
    store = open_history(settings.history_url)  # empty: no shipped sample imported
    yield settings, store, tmp_path
    store.close()


def test_backfill_writes_exactly_the_interval_and_a_rerun_changes_nothing(setup):
    settings, store, tmp = setup
    kw = {"symbols": SYMBOLS, "settings": settings, "store": store}
    first = data.run_backfill(START, END, source="offline", **kw)
    assert {s: v["written"] for s, v in first["symbols"].items()} == {"BTCUSDT": 3, "ETHUSDT": 3}
    assert data.run_checks(START, END, first, runtime_dir=tmp, **kw) == dict.fromkeys(SYMBOLS, "ok")
    rows = {s: store.stored_rows(s, "1h") for s in SYMBOLS}
    assert [r.open_time.hour for r in rows["BTCUSDT"]] == [10, 11, 12]
    findings = read_findings(tmp / "quality" / "findings")
    again = data.run_backfill(START, END, source="offline", **kw)
    data.run_checks(START, END, again, runtime_dir=tmp, **kw)
    assert {s: store.stored_rows(s, "1h") for s in SYMBOLS} == rows
    pd.testing.assert_frame_equal(read_findings(tmp / "quality" / "findings"), findings)
    assert data.run_compact(**kw) == {"BTCUSDT/1h": 2, "ETHUSDT/1h": 2}
    assert data.run_compact(**kw) == {"BTCUSDT/1h": 0, "ETHUSDT/1h": 0}
    assert {s: store.stored_rows(s, "1h") for s in SYMBOLS} == rows


def test_checks_report_gaps_duplicates_and_conflicts_from_a_dump(setup, tmp_path):
    settings, store, tmp = setup
    dumps = tmp_path / "dumps"
    dumps.mkdir()
    row = "{t},100.0,110.0,90.0,{c},5.0,{e},500.0,42,2.5,250.0,0"
    hour = 3_600_000
    t0 = 1685613600000  # 2023-06-01 10:00 UTC
    lines = [
        row.format(t=t0, c="105.0", e=t0 + hour - 1),
        row.format(t=t0, c="105.0", e=t0 + hour - 1),  # a duplicate, same values
        row.format(t=t0, c="106.0", e=t0 + hour - 1),  # a duplicate that disagrees
        row.format(t=t0 + 2 * hour, c="95.0", e=t0 + 3 * hour - 1),  # 11:00 is missing
    ]
    (dumps / "BTCUSDT-1h-2023-06.csv").write_text("\n".join(lines) + "\n")
    kw = {"symbols": ["BTCUSDT"], "settings": settings, "store": store}
    fetched = data.run_backfill(START, END, source="offline", dump_dir=dumps, **kw)
    assert data.run_checks(START, END, fetched, runtime_dir=tmp, **kw) == {
        "BTCUSDT": "missing,duplicates,conflicts"
    }
    (f,) = read_findings(tmp / "quality" / "findings").to_dict("records")
    assert (f["expected"], f["fetched"], f["stored"], f["missing"]) == (3, 4, 2, 1)
    assert (f["duplicates"], f["conflicts"], f["bad_ohlc"], f["mismatched"]) == (2, 1, 0, 0)
    assert f["gaps"] == "2023-06-01T11:00:00+00:00..2023-06-01T11:00:00+00:00"
    # the first copy was kept
    assert next(r.close for r in store.stored_rows("BTCUSDT", "1h")) == 105


def test_an_interval_the_offline_data_lacks_is_recorded_as_missing(setup):
    settings, store, tmp = setup
    kw = {"symbols": ["BTCUSDT"], "settings": settings, "store": store}
    start, end = "2026-11-27T01:00:00+00:00", "2026-11-27T02:00:00+00:00"
    fetched = data.run_backfill(start, end, source="offline", **kw)
    assert fetched["symbols"]["BTCUSDT"]["fetched"] == 0
    assert data.run_checks(start, end, fetched, runtime_dir=tmp, **kw) == {"BTCUSDT": "missing"}


def test_features_upsert_keeps_newer_rows_when_an_older_interval_reruns(setup):
    settings, store, tmp = setup
    kw = {"symbols": ["BTCUSDT"], "settings": settings, "store": store}
    data.run_backfill("2023-05-01T00:00:00+00:00", END, source="offline", **kw)
    assert data.run_features(END, runtime_dir=tmp, **kw) == {"BTCUSDT": 757}
    path = tmp / "features" / "BTCUSDT-1h.parquet"
    full = pd.read_parquet(path)
    assert data.run_features("2023-05-20T00:00:00+00:00", runtime_dir=tmp, **kw) == {"BTCUSDT": 757}
    pd.testing.assert_frame_equal(pd.read_parquet(path), full)
    assert "rsi_14" in full.columns and full["open_time"].is_monotonic_increasing


def test_source_names_are_checked():
    with pytest.raises(ValueError, match="source must be one of"):
        data.choose_source("ftp")
    assert data.choose_source("offline") == "offline"


def test_quick_retraining_refuses_the_shipped_models_dir(tmp_path):
    settings = load_settings({"HISTORY_URL": f"duckdb:///{tmp_path}/h.duckdb"}, dotenv=False)
    assert settings.models_dir.resolve() == (ROOT / "models").resolve()
    with pytest.raises(ValueError, match="will not write into the shipped"):
        run_retrain(["BTCUSDT"], [1], quick=True, settings=settings)


def test_quick_retraining_decides_by_the_promotion_rule_in_a_temp_models_dir(tmp_path):
    models = tmp_path / "models"
    shutil.copytree(ROOT / "models", models)
    settings = load_settings(
        {"HISTORY_URL": f"duckdb:///{tmp_path}/h.duckdb", "MODELS_DIR": str(models)}, dotenv=False
    )
    (result,) = run_retrain(["BTCUSDT"], [1], quick=True, max_rows=1500, settings=settings)
    assert result["key"] == "BTCUSDT-1h-h1" and result["rows"] == 1500
    served = (models / "served.json").read_text()
    assert result["candidate_id"] in served
    if result["promoted"]:
        assert (models / "BTCUSDT-1h-h1" / "card.json").read_text().count(result["candidate_id"]) == 1
    else:
        assert (models / "candidates" / "BTCUSDT-1h-h1" / "card.json").exists()


def test_scoring_is_skipped_with_a_reason_until_the_simulator_can_score(tmp_path):
    settings = load_settings(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path}/sim.sqlite3",
            "HISTORY_URL": f"duckdb:///{tmp_path}/h.duckdb",
        },
        dotenv=False,
    )
    from sim.services import Simulator

    result = run_score_forecasts(settings)
    if hasattr(Simulator, "score_forecasts"):
        assert "result" in result
    else:
        assert "score_forecasts() does not exist" in result["skipped"]
