"""Labels on a small hand-made series: expected values written as formulas of the definition."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from sim.analytics.forecast.labels import BAND_VOL_WINDOW, FLAT_K, LABEL_MAP, label_frame

HOUR = 3_600_000


def _candles(closes: list[float], open_times: list[int] | None = None) -> pl.DataFrame:
    times = open_times or [i * HOUR for i in range(len(closes))]
    return pl.DataFrame(
        {"open_time": times, "open": closes, "high": closes, "low": closes, "close": closes, "volume": 1.0}
    )


# 24 alternating +-1% moves make the band's volatility known, then three chosen moves
BASE = [100.0 * (1.01 if i % 2 else 1.0) for i in range(BAND_VOL_WINDOW + 1)]
T = len(BASE) - 1  # first row with a defined 24-bar volatility
MOVES = [math.exp(0.02), math.exp(0.0005), math.exp(-0.02)]  # up, flat, down at h = 1
CLOSES = BASE + [BASE[-1] * float(np.prod(MOVES[: i + 1])) for i in range(len(MOVES))]


def _sigma(closes: list[float], t: int) -> float:
    r = np.diff(np.log(closes))[t - BAND_VOL_WINDOW : t]  # the 24 returns ending at bar t
    return float(np.std(r, ddof=1))


def test_label_map_is_down_flat_up() -> None:
    assert LABEL_MAP == {0: "down", 1: "flat", 2: "up"}


def test_h1_labels_follow_the_definition() -> None:
    lf = label_frame(_candles(CLOSES), 1)
    for t in range(T, len(CLOSES) - 1):
        fwd = math.log(CLOSES[t + 1] / CLOSES[t])
        band = FLAT_K * _sigma(CLOSES, t) * math.sqrt(1)
        expected = 0 if fwd < -band else 2 if fwd > band else 1
        assert lf["fwd_ret"][t] == pytest.approx(fwd, abs=1e-12)
        assert lf["band"][t] == pytest.approx(band, rel=1e-9)
        assert lf["label"][t] == expected
    # the three designed moves: sigma ~ 0.0102, band ~ 0.0041: +2% up, +0.05% flat, -2% down
    assert lf["label"].to_list()[T : T + 3] == [2, 1, 0]
    assert lf["label"][:T].null_count() == T  # volatility not yet defined
    assert lf["label"][-1] is None  # the horizon passes the end of the data


def test_h4_band_scales_with_sqrt_h_and_last_move_is_known_at_t() -> None:
    closes = CLOSES + [CLOSES[-1] * 1.001 ** (i + 1) for i in range(8)]
    h = 4
    lf = label_frame(_candles(closes), h)
    t = T + 2
    band = FLAT_K * _sigma(closes, t) * math.sqrt(h)
    fwd = math.log(closes[t + h] / closes[t])
    assert lf["band"][t] == pytest.approx(band, rel=1e-9)
    assert lf["label"][t] == (0 if fwd < -band else 2 if fwd > band else 1)
    assert lf["last_move"][t + h] == lf["label"][t]  # the move that ended at t + h
    assert lf["label"].tail(h).null_count() == h


def test_no_label_across_a_gap() -> None:
    times = [i * HOUR for i in range(len(CLOSES))]
    gap_after = T + 1  # the candle after this one is two hours later
    times = times[: gap_after + 1] + [t + HOUR for t in times[gap_after + 1 :]]
    lf = label_frame(_candles(CLOSES, times), 1)
    assert lf["label"][gap_after] is None
    assert lf["label"][gap_after - 1] is not None
    assert lf["label"][gap_after + 1] is not None
    lf2 = label_frame(_candles(CLOSES, times), 2)
    assert lf2["label"][gap_after - 1] is None and lf2["label"][gap_after] is None
