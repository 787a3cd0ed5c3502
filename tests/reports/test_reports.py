"""Building a user's report, and reaching reports only through their owner's id."""

from __future__ import annotations

import json
import os
import re
from datetime import timedelta
from decimal import Decimal

import pyarrow.parquet as pq
import pytest
from sqlalchemy import insert

from sim.adapters.ledger.tables import forecasts
from sim.domain.errors import NotFound
from sim.reports import build_report, build_reports, check_report_id, users_with_fills
from sim.reports.store import inline_plotly, plotly_file, plotly_src

DAY = "2023-06-01"


def _trader(env, name="alice"):
    user = env.user(name)
    sim = env.runtime.sim
    sim.buy(user.id, "BTCUSDT", quote_amount="1000")
    sim.buy(user.id, "ETHUSDT", quote_amount="500")
    sim.sell(user.id, "BTCUSDT", "0.01")
    return user


def test_a_report_has_charts_statistics_fees_trades_and_a_parquet_table(reports_env):
    env = reports_env
    sim = env.runtime.sim
    alice = _trader(env)
    info = build_report(sim, alice.id, DAY)
    assert info is not None and info.report_id == DAY
    assert info.html_path == sim.settings.reports_dir / str(alice.id) / f"{DAY}.html"
    html = sim.report_html(alice.id, DAY)
    assert html.count("Plotly.newPlot") == 2  # equity vs holding BTC, drawdown
    # issue 18: plotly.js is stored once beside the users' folders, not in each report (4.9 MB)
    assert f'<script charset="utf-8" src="{plotly_src()}"></script>' in html
    assert (sim.settings.reports_dir / plotly_file()).stat().st_size > 3_000_000
    assert info.size_bytes < 1_000_000
    whole = inline_plotly(html)  # the app's view and download: one document that works offline
    assert not re.findall(r"<script[^>]*\ssrc=", whole) and len(whole) > 3_000_000
    for heading in (
        "Equity against holding BTC",
        "Statistics",
        "Fees by symbol",
        "Fills",
        "Forecast track record",
    ):
        assert heading in html
    fills = sim.trades(alice.id)
    fees = sum((f.fee for f in fills), Decimal(0))
    assert f"{fees.normalize():,f}" in html  # the exact fee total
    table = sim.report_table(alice.id, DAY)
    assert len(table) == len(fills) == 3
    assert [Decimal(v) for v in table["fee"]] == [f.fee for f in fills]
    meta = json.loads(pq.read_schema(info.table_path).metadata[b"report"])
    assert meta["user_id"] == alice.id and meta["summary"]["fees_paid"] == str(fees)
    assert meta["summary"]["fills"] == 3
    assert "benchmark_return" in meta["summary"]  # return against buy-and-hold BTC


def test_users_without_fills_get_no_report_and_text_is_escaped(reports_env):
    env = reports_env
    sim = env.runtime.sim
    alice = _trader(env)
    bob = env.user("bob")
    sim.set_preferences(alice.id, display_name='Al & "Co"')
    assert users_with_fills(sim) == [alice.id]
    built = build_reports(sim, DAY)
    assert [(r.user_id, r.report_id) for r in built] == [(alice.id, DAY)]
    assert build_report(sim, bob.id, DAY) is None
    assert sim.reports(bob.id) == []
    html = sim.report_html(alice.id, DAY)
    assert "Al &amp; &quot;Co&quot;" in html and 'Al & "Co"' not in html


def test_the_forecast_track_record_counts_scored_forecasts(reports_env):
    env = reports_env
    sim = env.runtime.sim
    alice = _trader(env)
    now = sim.now()
    rows = []
    for i, (label, outcome) in enumerate([("up", "up"), ("down", "up"), ("flat", None)]):
        as_of = now - timedelta(hours=10 - i)
        rows.append(
            {
                "model_id": "BTCUSDT-1h-h1-test",
                "symbol": "BTCUSDT",
                "interval": "1h",
                "horizon": 1,
                "as_of": as_of,
                "valid_until": as_of + timedelta(hours=1 if outcome else 20),
                "label": label,
                "p_down": Decimal("0.2"),
                "p_flat": Decimal("0.3"),
                "p_up": Decimal("0.5"),
                "outcome": outcome,
            }
        )
    with sim.engine.begin() as conn:
        conn.execute(insert(forecasts), rows)
    build_report(sim, alice.id, DAY)
    html = sim.report_html(alice.id, DAY)
    section = html[html.index("Forecast track record") :]
    # BTCUSDT h1: 3 forecasts, 2 scored, 1 pending, 1 hit: hit rate 50%;
    # Brier = mean(sum((p - onehot(up))^2)) = 0.2^2 + 0.3^2 + 0.5^2 = 0.38 for both scored ones
    assert (
        "<td>BTCUSDT</td><td>1</td><td>3</td><td>2</td><td>1</td><td>1</td><td>50.00%</td><td>0.3800</td>"
        in section
    )


@pytest.mark.parametrize(
    "bad",
    [
        "../2/2023-06-01",
        "..",
        "2023-06-01/../../x",
        "/etc/passwd",
        "2023-13-01",
        "2023-06-01.html",
        "2023-6-1",
        "",
        None,
        7,
    ],
)
def test_malformed_or_traversing_report_ids_are_not_found(reports_env, bad):
    sim = reports_env.runtime.sim
    alice = _trader(reports_env)
    build_report(sim, alice.id, DAY)
    with pytest.raises(NotFound):
        sim.report_html(alice.id, bad)
    with pytest.raises(NotFound):
        check_report_id(bad)


def test_one_user_cannot_read_another_users_report(reports_env):
    env = reports_env
    sim = env.runtime.sim
    alice = _trader(env)
    bob = env.user("bob")
    build_report(sim, alice.id, DAY)
    assert [r.report_id for r in sim.reports(alice.id)] == [DAY]
    assert sim.reports(bob.id) == []
    for attempt in (DAY, f"../{alice.id}/{DAY}", f"{alice.id}/{DAY}"):
        with pytest.raises(NotFound):
            sim.report_html(bob.id, attempt)
        with pytest.raises(NotFound):
            sim.report_table(bob.id, attempt)
    # a symlink planted in bob's directory cannot lead to alice's file
    bob_dir = sim.settings.reports_dir / str(bob.id)
    bob_dir.mkdir(parents=True)
    os.symlink(sim.settings.reports_dir / str(alice.id) / f"{DAY}.html", bob_dir / f"{DAY}.html")
    assert sim.reports(bob.id) == []
    with pytest.raises(NotFound):
        sim.report_html(bob.id, DAY)
