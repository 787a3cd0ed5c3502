"""Issue 13, reproduction 4: the report for day D stops at the end of D, in market time."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pyarrow.parquet as pq
import pytest

from sim.reports import build_report, gather
from sim.services import Simulator
from sim.settings import Settings

DAY = "2023-12-19"
END_OF_DAY = datetime(2023, 12, 20, tzinfo=UTC)


def test_a_report_for_a_past_day_is_as_of_its_end_and_agrees_with_the_app_then(tmp_path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}", reports_dir=tmp_path / "r")
    with Simulator.open(settings=settings, replay_start="2023-12-18") as sim:
        sim.bcrypt_rounds = 4
        eve = sim.register("eve", "correct horse")
        sim.buy(eve.id, "BTCUSDT", quote_amount="20000")
        sim.advance(24)
        sim.buy(eve.id, "ETHUSDT", quote_amount="10000")
        sim.advance(24)
        assert sim.now() == END_OF_DAY
        app_then = sim.portfolio(eve.id)  # what the app shows at the end of the day
        sim.advance(48)
        sim.sell(eve.id, "BTCUSDT", "0.1")  # after the day: not in its report
        assert sim.now() > END_OF_DAY
        data = gather(sim, eve.id, DAY)
        assert data is not None and data.as_of == END_OF_DAY
        assert len(data.fills) == 2 and max(data.fills["time"]) <= END_OF_DAY
        assert data.curve.index[-1] == END_OF_DAY
        assert data.curve["equity"].iloc[-1] == pytest.approx(float(app_then.equity), rel=1e-9)
        first = build_report(sim, eve.id, DAY)
        assert first is not None
        rows = sim.report_table(eve.id, DAY)
        meta = json.loads(pq.read_schema(first.table_path).metadata[b"report"])
        assert datetime.fromisoformat(meta["as_of"]) == END_OF_DAY
        sim.advance(24)  # the market moves on; rebuilding the same day gives the same rows
        build_report(sim, eve.id, DAY)
        again = json.loads(pq.read_schema(first.table_path).metadata[b"report"])
        assert sim.report_table(eve.id, DAY).equals(rows)
        assert again["as_of"] == meta["as_of"] and again["summary"] == meta["summary"]


def test_a_report_for_a_day_the_market_has_not_finished_is_as_of_the_clock(tmp_path) -> None:
    settings = Settings(database_url=f"sqlite:///{tmp_path / 'ledger.sqlite3'}", reports_dir=tmp_path / "r")
    with Simulator.open(settings=settings, replay_start="2023-12-19") as sim:
        sim.bcrypt_rounds = 4
        fay = sim.register("fay", "correct horse")
        sim.buy(fay.id, "BTCUSDT", quote_amount="20000")
        sim.advance(10)
        data = gather(sim, fay.id, DAY)
        assert data is not None and data.as_of == sim.now() == datetime(2023, 12, 19, 10, tzinfo=UTC)
        assert data.curve["equity"].iloc[-1] == pytest.approx(float(sim.portfolio(fay.id).equity), rel=1e-9)
        assert any("had not reached the end of 2023-12-19" in n for n in data.notes)


def test_the_batch_job_reports_a_past_day_as_of_its_end_not_the_wall_clock(tmp_path) -> None:
    from pipeline.jobs.batch import run_reports
    from sim.settings import load_settings

    settings = load_settings(
        {
            "DATABASE_URL": f"sqlite:///{tmp_path / 'ledger.sqlite3'}",
            "HISTORY_URL": f"duckdb:///{tmp_path / 'history.duckdb'}",
            "REPORTS_DIR": str(tmp_path / "reports"),
            "SYMBOLS": "BTCUSDT,ETHUSDT",
        },
        dotenv=False,
    )
    with Simulator.open(settings=settings, replay_start="2023-12-18", history_url=None) as sim:
        sim.bcrypt_rounds = 4
        gus = sim.register("gus", "correct horse")
        sim.buy(gus.id, "BTCUSDT", quote_amount="20000")
        sim.advance(72)  # to 2023-12-21
        sim.sell(gus.id, "BTCUSDT", "0.1")  # after the day
    built = run_reports("2023-12-19", settings)  # the DAG's call for data interval start D
    assert [b["user_id"] for b in built] == [gus.id]
    path = built[0]["table"]
    meta = json.loads(pq.read_schema(path).metadata[b"report"])
    assert datetime.fromisoformat(meta["as_of"]) == END_OF_DAY  # market time, not 2026
    assert len(pq.read_table(path)) == 1  # the sell after the day is not in it
    again = run_reports("2023-12-19", settings)
    assert pq.read_table(again[0]["table"]).equals(pq.read_table(path))
