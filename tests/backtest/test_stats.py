"""Statistics against values worked out by hand on tiny series (the formula beside each)."""

from __future__ import annotations

import math
from decimal import Decimal

import pandas as pd
import pytest

from sim.analytics import stats

DAYS = pd.date_range("2024-01-01", periods=4, freq="1D", tz="UTC")
EQUITY = pd.Series([100.0, 110.0, 99.0, 121.0], index=DAYS)
BENCH = pd.Series([100.0, 105.0, 100.0, 110.0], index=DAYS)
R = [0.1, -0.1, 121 / 99 - 1]  # E_t / E_{t-1} - 1
RB = [0.05, 100 / 105 - 1, 0.1]
P = 365.0


def mean(xs: list[float]) -> float:
    return sum(xs) / len(xs)


def sample_std(xs: list[float]) -> float:
    m = mean(xs)
    return math.sqrt(sum((x - m) ** 2 for x in xs) / (len(xs) - 1))


def test_periods_per_year_for_a_24_7_market() -> None:
    assert stats.periods_per_year("1h") == 8760
    assert stats.periods_per_year("1m") == 525600
    assert stats.periods_per_year("1d") == 365
    assert stats.periods_per_year("4h") == 2190
    assert stats.infer_periods_per_year(DAYS) == 365
    with pytest.raises(ValueError):
        stats.periods_per_year("1x")


def test_return_and_risk_by_hand() -> None:
    assert stats.total_return(EQUITY) == pytest.approx(121 / 100 - 1)
    years = 3 / 365
    assert stats.cagr(EQUITY) == pytest.approx(1.21 ** (1 / years) - 1)
    assert stats.annualized_volatility(EQUITY, P) == pytest.approx(sample_std(R) * math.sqrt(P))
    assert stats.sharpe_ratio(EQUITY, P) == pytest.approx(mean(R) / sample_std(R) * math.sqrt(P))
    downside = math.sqrt((0 + 0.1**2 + 0) / 3)  # sqrt(mean(min(r, 0)^2))
    assert stats.sortino_ratio(EQUITY, P) == pytest.approx(mean(R) / downside * math.sqrt(P))
    # with a 5% annual risk-free rate: rf_p = 1.05^(1/365) - 1 subtracted from each return
    rf = 1.05 ** (1 / P) - 1
    ex = [r - rf for r in R]
    assert stats.sharpe_ratio(EQUITY, P, 0.05) == pytest.approx(mean(ex) / sample_std(ex) * math.sqrt(P))


def test_drawdown_by_hand() -> None:
    # running highs 100, 110, 110, 121 -> drawdowns 0, 0, 99/110 - 1, 0
    assert list(stats.drawdown(EQUITY)) == pytest.approx([0, 0, 99 / 110 - 1, 0])
    assert stats.max_drawdown(EQUITY) == pytest.approx(-0.1)
    assert stats.max_drawdown_duration(EQUITY) == pd.Timedelta(days=1)
    assert stats.calmar_ratio(EQUITY) == pytest.approx(stats.cagr(EQUITY) / 0.1)
    # never recovered: the duration runs to the end (high on day 0, end on day 3)
    falling = pd.Series([100.0, 90.0, 95.0, 80.0], index=DAYS)
    assert stats.max_drawdown_duration(falling) == pd.Timedelta(days=3)
    assert stats.max_drawdown(falling) == pytest.approx(-0.2)


def test_no_drawdown_and_no_volatility_give_nan_not_errors() -> None:
    flat = pd.Series([100.0] * 4, index=DAYS)
    assert math.isnan(stats.sharpe_ratio(flat, P))
    assert math.isnan(stats.calmar_ratio(flat))
    rising = pd.Series([100.0, 101.0, 102.0, 103.0], index=DAYS)
    assert stats.sortino_ratio(rising, P) == math.inf


TRADES = pd.DataFrame(
    {
        "time": pd.date_range("2024-01-01", periods=5, freq="1h", tz="UTC"),
        "symbol": ["BTCUSDT", "BTCUSDT", "ETHUSDT", "ETHUSDT", "ETHUSDT"],
        "side": ["BUY", "SELL", "BUY", "SELL", "SELL"],
        "qty": [Decimal("1"), Decimal("1"), Decimal("2"), Decimal("1"), Decimal("1")],
        "price": [Decimal("100"), Decimal("110"), Decimal("50"), Decimal("40"), Decimal("45")],
        "fee": [Decimal("0.1"), Decimal("0.11"), Decimal("0.1"), Decimal("0.04"), Decimal("0.045")],
    }
)


def test_round_trips_win_rate_profit_factor_by_hand() -> None:
    trips = stats.round_trips(TRADES)
    # BTC: proceeds 110 - 0.11, cost 100 + 0.1 -> pnl 9.79
    # ETH: proceeds (40 - 0.04) + (45 - 0.045) = 84.915, cost 100 + 0.1 -> pnl -15.185
    assert list(trips["symbol"]) == ["BTCUSDT", "ETHUSDT"]
    assert list(trips["pnl"]) == pytest.approx([9.79, -15.185])
    assert list(trips["return"]) == pytest.approx([9.79 / 100.1, -15.185 / 100.1])
    assert stats.win_rate(trips) == 0.5
    assert stats.profit_factor(trips) == pytest.approx(9.79 / 15.185)
    assert stats.average_win(trips) == pytest.approx(9.79)
    assert stats.average_loss(trips) == pytest.approx(-15.185)
    assert stats.fees_paid(TRADES) == pytest.approx(0.395)  # 0.1+0.11+0.1+0.04+0.045


def test_an_open_position_is_not_a_closed_trade() -> None:
    assert len(stats.round_trips(TRADES.iloc[:4])) == 1
    assert math.isnan(stats.win_rate(stats.round_trips(TRADES.iloc[:1])))


def test_exposure_time() -> None:
    positions = pd.DataFrame({"a": [0.0, 1.0, 1.0, 0.0], "b": [0.0, 0.0, 2.0, 0.0]})
    assert stats.exposure_time(positions) == 0.5  # bars 1 and 2 of 4 hold something


def test_against_the_benchmark_by_hand() -> None:
    mr, mb = mean(R), mean(RB)
    cov = sum((a - mr) * (b - mb) for a, b in zip(R, RB, strict=True)) / 2
    var = sum((b - mb) ** 2 for b in RB) / 2
    b = cov / var
    assert stats.beta(EQUITY, BENCH) == pytest.approx(b)
    assert stats.alpha(EQUITY, BENCH, P) == pytest.approx((mr - b * mb) * P)
    assert stats.excess_return(EQUITY, BENCH) == pytest.approx(0.21 - 0.10)
    assert stats.beta(BENCH, BENCH) == pytest.approx(1.0)
    assert stats.alpha(BENCH, BENCH, P) == pytest.approx(0.0, abs=1e-12)


def test_summary_holds_every_statistic_and_tables_side_by_side() -> None:
    s = stats.summary(EQUITY, TRADES, benchmark=BENCH, positions=[0, 1, 1, 0])
    for key in (
        "total_return",
        "cagr",
        "volatility",
        "sharpe",
        "sortino",
        "calmar",
        "max_drawdown",
        "max_drawdown_duration",
        "win_rate",
        "profit_factor",
        "average_win",
        "average_loss",
        "exposure_time",
        "trades",
        "fills",
        "fees_paid",
        "excess_return",
        "beta",
        "alpha",
    ):
        assert key in s
    assert s["periods_per_year"] == 365
    assert s["trades"] == 2 and s["fills"] == 5
    table = stats.summary_table({"a": s, "b": s})
    assert list(table.columns) == ["a", "b"]
    assert table.loc["total_return", "a"] == pytest.approx(0.21)
